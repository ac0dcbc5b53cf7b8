"""Chart builders: fixed colours and order, diverging geometry, hover content, empty states."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis import charts
from analysis.records import ACTOR_TYPES, STANCES
from analysis.store import queries as Q
from analysis.store.queries import Filters


def sample() -> pd.DataFrame:
    rows = []
    for a in ("humanitarian", "military"):  # deliberately not in ACTOR_TYPES order
        for s, n in zip(STANCES, (6, 2, 2) if a == "military" else (1, 8, 1)):
            rows.append({"actor_type": a, "stance": s, "n": n, "share": n / 10,
                         "example": f"<b>{a} {s}</b>"})
    return pd.DataFrame(rows)


def trace(fig, name):
    return next(t for t in fig.data if t.name == name)


def test_diverging_puts_opposed_left_supportive_right_neutral_across():
    fig = charts.stance_diverging(sample(), "count")
    assert all(x < 0 for x in trace(fig, "opposed").x)
    assert all(x > 0 for x in trace(fig, "supportive").x)
    neutral = list(trace(fig, "neutral").x)
    # military has 2 neutral quotes, humanitarian 1: each is split in halves across zero
    assert sorted(neutral) == [-1.0, -0.5, 0.5, 1.0]
    for t in fig.data:
        assert t.marker.color == charts.STANCE_COLORS[t.name]


def test_diverging_keeps_the_fixed_actor_order_and_escapes_examples():
    fig = charts.stance_diverging(sample(), "share")
    order = [a for a in ACTOR_TYPES if a in {"military", "humanitarian"}]
    # plotly draws a category axis bottom-up, so the array is reversed to read top-down
    assert list(fig.layout.yaxis.categoryarray)[::-1] == order
    custom = trace(fig, "opposed").customdata
    assert {c[0] for c in custom} == {"military", "humanitarian"}
    assert all("&lt;b&gt;" in c[4] for c in custom)
    assert "%{customdata[2]:,} quotes" in trace(fig, "opposed").hovertemplate
    assert fig.layout.title.text == "How each type of voice divides on the issue"


def test_a_narrow_chart_fits_a_third_of_a_projector_screen():
    """Side by side beside the sidebar on a 900 px screen a chart is about 270 px wide: the
    title wraps, the legend goes under the plot, the axis keeps its ends and zero."""
    title = "Meridian Wire: how the voices divide"
    wide = charts.stance_diverging(sample(), title=title, extent=1.0)
    narrow = charts.stance_diverging(sample(), title=title, narrow=True, extent=1.0)
    assert wide.layout.legend.yanchor == "top" and narrow.layout.legend.y == 0  # under the title / plot
    assert wide.layout.title.text == title
    lines = narrow.layout.title.text.split("<br>")
    assert len(lines) == 2 and max(map(len, lines)) <= charts.NARROW_TITLE_CHARS
    assert narrow.layout.margin.t >= 40 + 22 * len(lines)  # a line of room for each title line
    assert list(narrow.layout.xaxis.ticktext) == ["100%", "0%", "100%"]
    assert len(wide.layout.xaxis.ticktext) == 9
    verbs = pd.DataFrame({"cue": ["say", "warn", "say"], "actor_type": ["military"] * 2 + ["expert"],
                          "n": [5, 2, 4]})
    heat_wide = charts.cue_heatmap(verbs, title=title)
    heat_narrow = charts.cue_heatmap(verbs, title=title, narrow=True)
    assert heat_wide.data[0].texttemplate and not heat_narrow.data[0].texttemplate
    # two maps side by side share one colour scale, and every column keeps its label
    assert (heat_narrow.data[0].zmin, heat_narrow.data[0].zmax) == (0, 1.0)
    assert heat_wide.data[0].zmax is None
    assert list(heat_narrow.layout.xaxis.tickvals) == ["military", "expert"]
    assert "<br>" in heat_narrow.layout.title.text


def top_px(fig, item) -> float:
    """How far below the figure's top edge a title or legend placed from its top starts."""
    assert item.yref == "container" and item.yanchor == "top" and item.y is not None
    return (1 - item.y) * fig.layout.height


def test_a_full_width_chart_has_its_legend_under_its_title(ro_con):
    """Beside the sidebar on a 900 px screen (a projector) the home chart is about 440 px wide:
    a legend on the title's line, right-aligned, ran over the title. The figure cannot know its
    width, so the legend takes a line of its own between the title and the plot."""
    outlets = Q.stance_by_actor_outlet(ro_con, Filters())
    shares = pd.DataFrame({"actor type": ["military"], "quotes": [4], "net (authors)": [0.5],
                           "net (model)": [0.25]})
    for fig in (charts.stance_diverging(sample()),
                charts.stance_diverging(outlets, facet="outlet"),
                charts.net_stance_authors_vs_model(shares),  # Model's dumbbell
                charts.calibration(pd.DataFrame({"confidence": [0.5], "accuracy": [0.4]})),
                charts.speaker_timeline(pd.DataFrame({
                    "period": pd.to_datetime(["2024-01-01"]), "stance": ["opposed"], "n": [2],
                    "example": ["a"]}), "Ada Price")):
        title, legend = top_px(fig, fig.layout.title), top_px(fig, fig.layout.legend)
        assert legend >= title + charts.FONT["size"] * 1.4 + 4  # below the title's line
        assert fig.layout.margin.t >= legend + 22  # and the legend's line above the plot
        assert fig.layout.legend.orientation == "h"
        assert (fig.layout.legend.xref, fig.layout.legend.x) == ("container", 0)  # not beside it
        assert fig.layout.legend.xanchor == "left"


def test_long_titles_wrap_to_fit_a_projector():
    """Plotly does not wrap titles: at 900 px (a projector) a full-width chart is about 440 px
    wide and the Model page's 67-character title ran off its right edge, as a Home title with a
    long issue did. Titles wrap at TITLE_CHARS, with a line of room above the plot for each
    line, and a legend under the title stays under its last line."""
    issue = "Lifting the US ban on anti-personnel landmines"
    shares = pd.DataFrame({"actor type": ["military"], "quotes": [4], "net (authors)": [0.5],
                           "net (model)": [0.25]})
    home = charts.stance_diverging(sample(), title=f"How each type of voice divides on the "
                                   f"issue: {issue}")
    model = charts.net_stance_authors_vs_model(shares)
    short = charts.stance_diverging(sample())
    for fig in (home, model):
        lines = fig.layout.title.text.split("<br>")
        assert len(lines) == 2 and all(len(line) <= charts.TITLE_CHARS for line in lines)
    assert short.layout.title.text == "How each type of voice divides on the issue"
    assert model.layout.margin.t == charts.net_stance_authors_vs_model(
        shares, title="Short").layout.margin.t + charts.TITLE_LINE
    assert home.layout.height == short.layout.height + charts.TITLE_LINE
    # the legend's line under the title's second line, and both above the plot
    gap = top_px(home, home.layout.legend) - top_px(short, short.layout.legend)
    assert gap == pytest.approx(charts.TITLE_LINE)
    assert home.layout.margin.t == short.layout.margin.t + charts.TITLE_LINE


def test_small_multiples_have_one_panel_per_outlet(ro_con):
    df = Q.stance_by_actor_outlet(ro_con, Filters())
    fig = charts.stance_diverging(df, "share", facet="outlet")
    assert {a.text for a in fig.layout.annotations} == {"Ledger", "Herald", "Courier"}
    assert all(len(c) == 6 for t in fig.data for c in t.customdata)  # outlet for drill-down


def test_an_empty_speaker_timeline_does_not_deny_undated_quotes():
    """The table under it lists a speaker's undated quotes: "No quotes from this speaker"
    contradicted it."""
    fig = charts.speaker_timeline(pd.DataFrame(columns=["period", "stance", "n", "example"]), "Ann")
    said = " ".join(a.text for a in fig.layout.annotations)
    assert "No dated quotes" in said and "undated" in said


def test_small_multiples_order_outlets_by_quotes_then_name_whatever_the_row_order():
    """Outlets tied on quotes came back from the query in any order, and their panels swapped
    places from one run to the next."""
    rows = [("Courier", "military", "supportive", 2), ("Ledger", "expert", "opposed", 3),
            ("Herald", "military", "opposed", 1), ("Herald", "expert", "neutral", 2),
            ("Atlas", "military", "neutral", 3), ("Zenith", "expert", "supportive", 5)]
    df = pd.DataFrame(rows, columns=["outlet", "actor_type", "stance", "n"]).assign(
        share=1.0, example="…")

    def panels(frame: pd.DataFrame) -> list[tuple[str, float, float]]:
        fig = charts.stance_diverging(frame, "count", facet="outlet")
        # read row by row from the top left, as a reader does
        return sorted(((a.text, round(a.x, 3), round(a.y, 3)) for a in fig.layout.annotations),
                      key=lambda p: (-p[2], p[1]))

    first = panels(df)
    assert [name for name, _, _ in first] == ["Zenith", "Atlas", "Herald", "Ledger", "Courier"]
    for seed in range(5):
        assert panels(df.sample(frac=1, random_state=seed)) == first


def test_small_multiples_keep_their_labels_apart_on_a_projector(ro_con):
    """A panel is about 100 px wide at 900 px (a projector): nine tick labels each were turned
    sideways and ran together ("75%50%25%0%"), and over time four actor types' panel titles ran
    together ("congressionalhumanitarian") beside a legend that took the panels' width."""
    f = Filters()
    outlets = Q.stance_by_actor_outlet(ro_con, f)
    for measure in ("share", "count"):
        fig = charts.stance_diverging(outlets, measure, facet="outlet")
        axes = [fig.layout[k] for k in fig.layout if k.startswith("xaxis")]
        assert all(len(a.tickvals) == 3 and a.tickangle == 0 for a in axes if a.tickvals)
        assert fig.layout.xaxis.ticktext[1] == "0"
    # a few quotes: whole numbers, each label at its own value
    few = charts.stance_diverging(outlets.assign(n=1), "count", facet="outlet")
    assert [float(t) for t in few.layout.xaxis.ticktext] == [abs(v) for v in few.layout.xaxis.tickvals]
    long_name = outlets.assign(outlet="The Northern Territory Chronicle")
    fig = charts.stance_diverging(long_name, facet="outlet")
    assert [a.text for a in fig.layout.annotations] == ["The Northern Terr…"]
    assert "%{customdata[5]}" in fig.data[0].hovertemplate  # the whole name, on hover
    t = charts.stance_over_time(Q.stance_over_time(ro_con, f, "quarter"))
    assert all(a.font.size <= 11 for a in t.layout.annotations)
    assert (t.layout.legend.orientation, t.layout.legend.xref) == ("h", "container")
    axes = [t.layout[k] for k in t.layout if k.startswith("xaxis")]
    assert all(a.nticks == 3 and a.tickangle == 0 for a in axes)


@pytest.mark.parametrize("build", [
    lambda: charts.stance_diverging(pd.DataFrame(), "share"),
    lambda: charts.stance_over_time(pd.DataFrame()),
    lambda: charts.speakers_bar(pd.DataFrame()),
    lambda: charts.anonymity_bar(pd.DataFrame()),
    lambda: charts.speaker_timeline(pd.DataFrame(), "X"),
    lambda: charts.cue_heatmap(pd.DataFrame()),
    lambda: charts.voice_by_outlet(pd.DataFrame()),
    lambda: charts.confusion_matrix([], []),
    lambda: charts.calibration(pd.DataFrame()),
])
def test_every_chart_has_a_titled_empty_state(build):
    fig = build()
    assert fig.layout.title.text
    assert fig.layout.annotations and "No" in fig.layout.annotations[0].text
    assert not fig.data


def test_page_charts_on_the_fixture(ro_con):
    f = Filters()
    t = charts.stance_over_time(Q.stance_over_time(ro_con, f, "quarter"), "count")
    assert {tr.name for tr in t.data} == set(STANCES)
    s = charts.speakers_bar(Q.top_speakers(ro_con, f, 5))
    assert [tr.name for tr in s.data] == ["opposed", "neutral", "supportive"]
    assert len(s.data[0].y) == 5
    a = charts.anonymity_bar(Q.anonymity_by_actor(ro_con, f))
    assert list(a.data[0].y) == list(ACTOR_TYPES)
    h = charts.cue_heatmap(Q.cue_verbs(ro_con, f), by="stance")
    assert list(h.data[0].x) == list(STANCES)
    v = charts.voice_by_outlet(Q.voice_by_outlet(ro_con, f))
    assert [tr.name for tr in v.data] == list(ACTOR_TYPES)
    assert {tr.marker.color for tr in v.data} == set(charts.ACTOR_COLORS.values())
    assert (v.layout.legend.yref, v.layout.legend.y) == ("container", 0)  # clear of the title


def test_confusion_and_calibration():
    fig = charts.confusion_matrix(list(STANCES), [[5, 1, 0], [2, 6, 1], [0, 0, 3]])
    assert list(fig.data[0].x) == list(STANCES)
    bins = pd.DataFrame({"confidence": [0.5, 0.9], "accuracy": [0.4, 0.8], "count": [3, 7]})
    assert len(charts.calibration(bins).data) == 2


def test_image_config_names_the_file():
    cfg = charts.image_config("stance_by_actor_type", "svg")
    assert cfg["toImageButtonOptions"] == {"format": "svg", "filename": "stance_by_actor_type",
                                           "scale": 2}


def test_over_time_fills_missing_stances_with_zero():
    df = pd.DataFrame({"period": pd.to_datetime(["2024-01-01", "2024-02-01"]),
                       "actor_type": ["military", "military"], "stance": ["opposed", "supportive"],
                       "n": [2, 3], "share": [1.0, 1.0], "example": ["a", "b"]})
    fig = charts.stance_over_time(df, "count")
    assert list(trace(fig, "opposed").y) == [2, 0]
    assert list(trace(fig, "supportive").y) == [0, 3]
    assert list(trace(fig, "neutral").y) == [0, 0]


def test_the_anonymity_axis_starts_at_zero_even_when_no_source_is_anonymous():
    import pandas as pd

    from analysis.charts import anonymity_bar

    none = pd.DataFrame({"actor_type": ["military", "expert"], "n": [4, 2], "anonymous_n": [0, 0],
                         "speakers": [3, 2], "anonymous_share": [0.0, 0.0]})
    assert list(anonymity_bar(none).layout.xaxis.range) == [0, 0.05]
    some = none.assign(anonymous_n=[2, 0], anonymous_share=[0.5, 0.0])
    low, high = anonymity_bar(some).layout.xaxis.range
    assert low == 0 and high > 0.5


def test_diverging_charts_set_side_by_side_can_share_one_scale():
    import pandas as pd

    from analysis.charts import stance_diverging

    df = pd.DataFrame({"actor_type": ["military", "military"], "stance": ["opposed", "supportive"],
                       "n": [1, 3], "share": [0.25, 0.75], "example": ["a", "b"]})
    assert stance_diverging(df).layout.xaxis.range is None  # alone: as far as its longest bar
    assert list(stance_diverging(df, extent=1.0).layout.xaxis.range) == [-1.02, 1.02]


def test_long_speaker_names_are_cut_in_bar_labels_but_never_merged():
    names = ["International Committee of the Red Cross", "Dana Whitfield", "Dana Whitfield"]
    labels = charts.speaker_labels(names, ["humanitarian", "congressional", "military"])
    assert labels == ["International Committee of… (humanitarian)", "Dana Whitfield (congressional)",
                      "Dana Whitfield (military)"]
    assert charts.speaker_labels(["anonymous Latin American diplomat"], ["international"]) == [
        "anonymous Latin American diplomat (international)"]
    twins = ["International Committee of the Red Cross A", "International Committee of the Red Cross B"]
    assert charts.speaker_labels(twins, ["other", "other"]) == [f"{n} (other)" for n in twins]
    df = pd.DataFrame({"speaker": names, "actor_type": ["humanitarian", "congressional", "military"],
                       "n": [3, 2, 1], "supportive": [1, 1, 1], "opposed": [1, 1, 0],
                       "neutral": [1, 0, 0], "example": ["a", "b", "c"]})
    fig = charts.speakers_bar(df)
    assert list(fig.data[0].y) == labels
    assert [row[5] for row in fig.data[0].customdata] == names  # a click still names the speaker
    assert fig.layout.legend.orientation == "h"


def test_speaker_timeline_lists_its_legend_in_the_usual_order():
    df = pd.DataFrame({"period": pd.to_datetime(["2024-01-01"] * 3), "stance": list(STANCES),
                       "n": [1, 2, 3], "example": ["a", "b", "c"]})
    fig = charts.speaker_timeline(df, "Ada Price")
    assert fig.layout.legend.traceorder == "normal"
    assert sorted(fig.data, key=lambda t: t.legendrank)[0].name == "opposed"


@pytest.mark.parametrize("longest", [7, 2, 1])
def test_count_ticks_are_whole_quotes_and_labelled_as_placed(longest):
    """A count axis stepped by 2.5 (the longest bar 7 quotes) labelled 2.5 as "2" with int(),
    and one stepped by 0.5 labelled 0.5 as "0"."""
    df = pd.DataFrame({"actor_type": ["military"] * 2, "stance": ["opposed", "supportive"],
                       "n": [1, longest], "share": [0.5, 0.5], "example": ["a", "b"]})
    axis = charts.stance_diverging(df, "count").layout.xaxis
    assert all(float(v).is_integer() for v in axis.tickvals)
    assert list(axis.ticktext) == [f"{abs(int(v)):,}" for v in axis.tickvals]
    assert max(axis.tickvals) >= longest


def test_speakers_charts_keep_their_labels_apart_on_a_projector():
    """At 900 px (a projector) the anonymity chart's seven actor types, side by side under its
    columns, were turned aslant and ran into each other, and one speaker's months ("Jan 2024",
    "Jul 2024") ran together: actor types are rows, and months stand over their year."""
    anon = pd.DataFrame({"actor_type": ["expert", "military"], "n": [4, 2], "anonymous_n": [1, 1],
                         "speakers": [3, 2], "anonymous_share": [0.25, 0.5]})
    fig = charts.anonymity_bar(anon)
    assert fig.data[0].orientation == "h" and list(fig.data[0].y) == ["military", "expert"]
    assert fig.layout.yaxis.autorange == "reversed"  # ACTOR_TYPES order read from the top
    df = pd.DataFrame({"period": pd.to_datetime(["2024-01-01", "2024-07-01", "2025-01-01"]),
                       "stance": list(STANCES), "n": [1, 2, 3], "example": ["a", "b", "c"]})
    axis = charts.speaker_timeline(df, "Ada Price").layout.xaxis
    assert axis.tickangle == 0
    assert axis.tickformatstops[0].value == "%b<br>%Y"


def test_a_speakers_timeline_counts_whole_quotes():
    """With two quotes in a month at most, plotly ticked the count axis at 0.5 and 1.5."""
    few = pd.DataFrame({"period": pd.to_datetime(["2024-01-01", "2024-02-01"]),
                        "stance": ["opposed", "supportive"], "n": [2, 1], "example": ["a", "b"]})
    assert charts.speaker_timeline(few, "Ada Price").layout.yaxis.dtick == 1
    many = few.assign(n=[40, 1])
    assert charts.speaker_timeline(many, "Ada Price").layout.yaxis.dtick is None  # plotly's steps


def test_framing_charts_keep_their_text_inside_on_a_projector():
    """At 900 px (a projector) a heat map's column names, aslant, ran into each other (full
    width, about 40 px a column), and side by side the colour bar left seven columns about 9 px
    each; a narrow diverging chart's axis title, centred under a plot right of the actor types,
    ran past the chart's edge."""
    verbs = pd.DataFrame({"cue": ["say", "warn", "say"], "actor_type": ["military"] * 2 + ["expert"],
                          "n": [5, 2, 4]})
    for narrow in (False, True):
        axis = charts.cue_heatmap(verbs, narrow=narrow).layout.xaxis
        assert axis.tickangle == -90 and list(axis.tickvals) == ["military", "expert"]
    bar = charts.cue_heatmap(verbs, narrow=True).data[0].colorbar
    assert (bar.orientation, bar.yref, bar.y) == ("h", "container", 0)  # under the plot
    fig = charts.stance_diverging(sample(), narrow=True, extent=1.0)
    assert not fig.layout.xaxis.title.text
    note = next(a for a in fig.layout.annotations if "opposed" in a.text)
    assert (note.xref, note.x, note.xanchor) == ("paper", 1, "right")  # ends at the plot's edge
