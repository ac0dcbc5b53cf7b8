"""Plotly figure builders: pure functions from the store's small DataFrames to figures.

In: DataFrames shaped as `analysis.store.queries` returns them. Out: `plotly.graph_objects.Figure`.
No streamlit here, so every chart is testable without a browser. Colours and orders are fixed
for the whole app: a stance is always the same colour (Okabe-Ito, colour-blind safe) and actor
types always appear in `ACTOR_TYPES` order, so charts can be compared at a glance.
Every figure carries `customdata` = (actor_type, stance, ...) so a click can drill down.
"""

from __future__ import annotations

import html
import math
import textwrap
from typing import Any

import pandas as pd
import plotly.express as px
import plotly.graph_objects as go

from analysis.records import ACTOR_TYPES, STANCES

STANCE_COLORS: dict[str, str] = {
    "supportive": "#0072B2",  # blue
    "opposed": "#D55E00",  # vermillion
    "neutral": "#9E9E9E",  # grey: neither side
}
# The model's own marks, in no stance's colour: a model dot left of zero is not "supportive".
MODEL_COLOR = "#AA4499"
# Paul Tol's "muted" palette: distinguishable for common colour-vision deficiencies.
ACTOR_COLORS: dict[str, str] = dict(zip(ACTOR_TYPES, (
    "#332288", "#88CCEE", "#44AA99", "#117733", "#999933", "#CC6677", "#AA4499")))
# Stacking order away from zero: neutral straddles the axis, the two sides extend outwards.
_DIVERGING_ORDER = ("neutral", "opposed", "supportive")
_LEGEND_RANK = {"opposed": 1, "neutral": 2, "supportive": 3}
FONT = dict(family="Inter, Arial, sans-serif", size=13)


def short(text: Any, limit: int = 110) -> str:
    """A quote cut to `limit` characters and escaped for plotly's HTML-ish hover labels."""
    s = "" if text is None or (isinstance(text, float) and math.isnan(text)) else str(text)
    s = s if len(s) <= limit else s[: limit - 1].rstrip() + "…"
    return html.escape(s)


def empty_figure(title: str, message: str = "No quotes match these filters.") -> go.Figure:
    """A titled blank chart that says why it is blank."""
    fig = go.Figure()
    fig.add_annotation(text=message, showarrow=False, x=0.5, y=0.5, xref="paper",
                       yref="paper", font=dict(size=16, color="#555"))
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    return _layout(fig, title, height=260)


# Plotly does not wrap titles: a long one runs off the chart's right edge. A chart given the
# page's full width is about 440 px wide beside the sidebar at 900 px (a projector), room for
# about 60 characters of title; titles wrap at this many, and the figure cannot know its width,
# so they wrap at every width. A chart that shares the page's width with another is about 270 px
# wide there: its title wraps at NARROW_TITLE_CHARS, its legend goes under the plot, and its axes
# keep few ticks.
TITLE_CHARS = 56
NARROW_TITLE_CHARS = 24
TITLE_LINE = 22  # pixels per title line


def _wrap(title: str, chars: int) -> tuple[str, int]:
    """The title on lines of at most `chars` characters, and how many lines."""
    wrapped = "<br>".join(textwrap.wrap(title, chars)) or title
    return wrapped, wrapped.count("<br>") + 1


def _layout(fig: go.Figure, title: str, height: int | None = None,
            legend_top: int | None = None) -> go.Figure:
    """The house style: the title wrapped at `TITLE_CHARS`, left-aligned, with room above the plot
    for each of its lines. With `legend_top` (the plot's top margin under a one-line title,
    without the legend), the legend gets a line of its own under the title (`LEGEND_LINE`)."""
    wrapped, lines = _wrap(title, TITLE_CHARS)
    extra = TITLE_LINE * (lines - 1)  # room above the plot for each line after the first
    fig.update_layout(title=dict(text=wrapped, x=0, xanchor="left"), font=FONT,
                      margin=dict(l=10, r=10, t=60 + extra, b=40), legend_title_text="",
                      hoverlabel=dict(align="left"), plot_bgcolor="white")
    if height:
        fig.update_layout(height=height + extra)
    if legend_top is not None:
        _legend_under_title(fig, legend_top, extra)
    return fig


def _fit_narrow_title(fig: go.Figure, title: str, height: int) -> None:
    """Wrap the title onto lines of at most `NARROW_TITLE_CHARS` characters, with room above the
    plot for each line."""
    wrapped, lines = _wrap(title, NARROW_TITLE_CHARS)
    fig.update_layout(title_text=wrapped, margin_t=40 + TITLE_LINE * lines,
                      height=height + TITLE_LINE * lines)


# The legend's own line under the title, in pixels from the figure's top: a chart a page gives
# its full width is about 440 px wide at 900 px (a projector) beside the sidebar, too narrow for
# the title and the legend on one line, and plotly neither wraps a title nor moves a legend clear
# of one. The figure does not know the width it will get, so the legend takes a line of its
# own at every width.
LEGEND_LINE = dict(title_top=10, legend_top=36, height=26)


def _legend_under_title(fig: go.Figure, top: int, extra: int) -> None:
    """Title, then a horizontal legend on a line of its own, then the plot (`top`: the margin
    above the plot for a one-line title without the legend; `extra`: the room `_layout` made
    for the title's further lines); the figure grows by the legend's line."""
    height = int(fig.layout.height) + LEGEND_LINE["height"]
    fig.update_layout(
        height=height, margin_t=top + extra + LEGEND_LINE["height"],
        title=dict(yref="container", y=1 - LEGEND_LINE["title_top"] / height, yanchor="top"),
        legend=dict(orientation="h", xref="container", x=0, xanchor="left", yref="container",
                    y=1 - (LEGEND_LINE["legend_top"] + extra) / height, yanchor="top"))


def image_config(name: str, fmt: str = "png") -> dict[str, Any]:
    """`st.plotly_chart(config=...)`: the camera button saves `name.png|svg` for slides."""
    return {"displaylogo": False,
            "toImageButtonOptions": {"format": fmt, "filename": name, "scale": 2}}


def _diverging_frame(df: pd.DataFrame, measure: str) -> pd.DataFrame:
    """Long frame with signed x: opposed left, supportive right, neutral split across zero."""
    rows = df.copy()
    rows["value"] = rows["share" if measure == "share" else "n"].astype(float)
    neutral = rows[rows["stance"] == "neutral"]
    halves = pd.concat([neutral.assign(x=neutral["value"] / 2),
                        neutral.assign(x=-neutral["value"] / 2)])
    sides = rows[rows["stance"] != "neutral"]
    sides = sides.assign(x=sides["value"].where(sides["stance"] == "supportive",
                                                -sides["value"]))
    out = pd.concat([halves, sides], ignore_index=True)
    out["example"] = [short(e) for e in out.get("example", pd.Series([""] * len(out)))]
    return out


def _symmetric_ticks(fig: go.Figure, extent: float, measure: str, few: bool = False,
                     panels: bool = False) -> None:
    """Label the x axis with absolute values on both sides of zero (`few`: the ends and zero;
    `panels`: zero and a round value about half way out each side)."""
    if panels:
        # A small multiple is about 100 px wide at 900 px (a projector): nine labels there were
        # turned sideways and ran together ("75%50%25%0%"). Three small upright ones fit, short
        # of the ends so as to keep clear of the next panel's.
        step = _nice_step(extent / 2 if extent else 0.5)
        step = step if measure == "share" else _whole(step)
        vals = [-step, 0.0, step]
        label = f"{step:.0%}" if measure == "share" else f"{int(step):,}"
        text = [label, "0", label]  # a bare 0: "50% 0% 50%" read as one run
        fig.update_xaxes(tickangle=0, tickfont_size=11)
    elif measure == "share" and few:
        vals = [-extent, 0.0, extent]
        text = [f"{abs(v):.0%}" for v in vals]
    elif measure == "share":
        vals = [v / 4 for v in range(-4, 5)]
        text = [f"{abs(v):.0%}" for v in vals]
    else:
        step = _whole(_nice_step(extent / 3 if extent else 1))
        k = math.ceil(extent / step) if extent else 1
        vals = [i * step for i in range(-k, k + 1)]
        text = [f"{abs(int(v)):,}" for v in vals]
    fig.update_xaxes(tickvals=vals, ticktext=text, zeroline=True, zerolinecolor="#333",
                     gridcolor="#eee")


def _whole(step: float) -> float:
    # quotes come whole: a tick at 2.5 quotes would be labelled "2", at 0.5 "0"
    return float(max(1, math.ceil(step)))


def _nice_step(raw: float) -> float:
    mag = 10 ** math.floor(math.log10(raw)) if raw > 0 else 1
    for m in (1, 2, 2.5, 5, 10):
        if raw <= m * mag:
            return m * mag
    return 10 * mag


DIVERGING_HOVER = ("<b>%{customdata[0]}</b> · %{customdata[1]}<br>"
                   "%{customdata[2]:,} quotes · %{customdata[3]:.0%} of this group<br>"
                   "<i>e.g. “%{customdata[4]}”</i><extra></extra>")


def stance_diverging(df: pd.DataFrame, measure: str = "share", facet: str | None = None,
                     title: str = "How each type of voice divides on the issue",
                     narrow: bool = False, extent: float | None = None) -> go.Figure:
    """Diverging bars: one row per actor type, opposed to the left, supportive to the right.

    Args:
        df: columns actor_type, stance, n, share, example (and `facet` if given).
        measure: "share" (of the actor type's quotes) or "count".
        facet: a column for small multiples (e.g. "outlet").
        narrow: the chart shares the page's width (side by side): the title wraps, the legend
            goes under the plot, and the axis shows only its ends and zero.
        extent: the axis reaches this far each way (1.0 = 100% for shares), so that charts set
            side by side share one scale; by default, as far as the longest bar.
    """
    if df.empty:
        return empty_figure(title)
    long = _diverging_frame(df, measure)
    order = [a for a in ACTOR_TYPES if a in set(long["actor_type"])]
    kw: dict[str, Any] = {}
    n_facets = 1
    if facet:
        # most-quoted first, ties by name: the query returns tied outlets in any order, and
        # the panels must not swap places from one run to the next
        totals = df.groupby(facet)["n"].sum()
        facets = sorted(totals.index, key=lambda value: (-totals[value], str(value)))
        n_facets = len(facets)
        kw = dict(facet_col=facet, facet_col_wrap=3, facet_row_spacing=0.06,
                  facet_col_spacing=0.06,  # room between one panel's tick labels and the next's
                  category_orders={"actor_type": order, "stance": list(_DIVERGING_ORDER),
                                   facet: facets})
    fig = px.bar(long, x="x", y="actor_type", color="stance", orientation="h",
                 color_discrete_map=STANCE_COLORS, barmode="relative",
                 custom_data=["actor_type", "stance", "n", "share", "example"]
                 + ([facet] if facet else []),
                 **(kw or dict(category_orders={"actor_type": order,
                                                "stance": list(_DIVERGING_ORDER)})))
    # a panel's title may be cut: the hover names its outlet in full
    hover = DIVERGING_HOVER.replace("%{customdata[1]}<br>", "%{customdata[1]} · %{customdata[5]}<br>"
                                    ) if facet else DIVERGING_HOVER
    fig.update_traces(hovertemplate=hover, marker_line_width=0)
    for tr in fig.data:
        tr.legendrank = _LEGEND_RANK.get(tr.name, 9)
    if extent is None:
        extent = float(long.groupby(["actor_type"] + ([facet] if facet else []))["x"]
                       .apply(lambda s: max(s[s > 0].sum(), -s[s < 0].sum())).max())
    else:
        fig.update_xaxes(range=[-1.02 * extent, 1.02 * extent])
    _symmetric_ticks(fig, extent, measure, few=narrow and not facet, panels=bool(facet))
    fig.update_yaxes(title="")  # px already lists the first category at the top
    fig.update_xaxes(title="")
    if facet:
        fig.for_each_annotation(lambda a: a.update(text=_panel_title(a.text.split("=", 1)[-1]),
                                                   font_size=11))
    # height follows the number of rows, so one actor type is one slim bar, not a wall
    height = 150 + 36 * len(order) if not facet else 120 + 230 * math.ceil(n_facets / 3)
    # narrow: the legend goes under the plot (below); else on a line under the title, with room
    # for the first row of panel titles under it
    _layout(fig, title, height=height, legend_top=None if narrow else 80 if facet else 60)
    # short enough for a 440 px chart (a projector): "… supportive →" lost its arrow there
    fig.update_layout(xaxis_title="← opposed · neutral · supportive →" if not facet else None)
    if narrow:
        _fit_narrow_title(fig, title, height + 30)  # 30: the legend under the plot
        fig.update_layout(
            margin_b=70, margin_r=24,  # room for the last tick label, "100%"
            legend=dict(yref="container", y=0, yanchor="bottom", x=0, xanchor="left"),
            xaxis_title=None)
        if not facet:
            # An axis title is centred under the plot, which in a chart about 200 px wide at
            # 900 px (a projector) sits right of the actor types: "← opposed · supportive →" ran
            # past the chart's edge. Ending it at the plot's right edge lets it reach left under
            # the actor types instead.
            fig.add_annotation(text="← opposed · supportive →", showarrow=False, xref="paper",
                               x=1, xanchor="right", yref="paper", y=0, yanchor="top",
                               yshift=-22, font=dict(size=11, color="#444"))
    return fig


# A panel of three in a row is about 100 px wide at 900 px (a projector): a longer outlet name
# runs into the next panel's (hover names the outlet in full).
PANEL_TITLE_CHARS = 18


def _panel_title(name: str) -> str:
    return name if len(name) <= PANEL_TITLE_CHARS else name[:PANEL_TITLE_CHARS - 1].rstrip() + "…"


def _zero_fill(df: pd.DataFrame) -> pd.DataFrame:
    """A stance with no quotes in a period where its actor type spoke is 0, not a gap: otherwise
    the line jumps straight from the last period it had quotes to the next."""
    if "example" not in df:
        df = df.assign(example="")
    seen = df[["period", "actor_type"]].drop_duplicates()
    grid = seen.merge(pd.DataFrame({"stance": list(STANCES)}), how="cross")
    out = grid.merge(df, on=["period", "actor_type", "stance"], how="left")
    out[["n", "share"]] = out[["n", "share"]].fillna(0)
    out["example"] = out["example"].fillna("")
    return out.sort_values("period")


def stance_over_time(df: pd.DataFrame, measure: str = "share",
                     title: str = "How each type of voice moved over time") -> go.Figure:
    """Lines of stance per period, one small multiple per actor type."""
    if df.empty:
        return empty_figure(title)
    data = _zero_fill(df)
    data["value"] = data["share" if measure == "share" else "n"]
    data["example"] = [short(e) for e in data["example"]]
    order = [a for a in ACTOR_TYPES if a in set(data["actor_type"])]
    fig = px.line(data, x="period", y="value", color="stance", facet_col="actor_type",
                  facet_col_wrap=4, facet_col_spacing=0.05, markers=True,
                  color_discrete_map=STANCE_COLORS,
                  category_orders={"actor_type": order, "stance": list(STANCES)},
                  custom_data=["actor_type", "stance", "n", "share", "period", "example"])
    fig.update_traces(hovertemplate="<b>%{customdata[0]}</b> · %{customdata[1]}<br>"
                      "%{x|%b %Y}: %{customdata[2]:,} quotes · %{customdata[3]:.0%} of group"
                      "<br><i>e.g. “%{customdata[5]}”</i><extra></extra>", marker_size=5)
    # At 900 px (a projector) four panels share about 440 px: at the font's size, neighbouring
    # panel titles ran together ("congressionalhumanitarian"), and dates turned sideways.
    fig.for_each_annotation(lambda a: a.update(text=a.text.split("=", 1)[-1], font_size=11))
    fig.update_yaxes(title="", tickformat=".0%" if measure == "share" else ",d",
                     gridcolor="#eee", matches="y", rangemode="tozero")
    fig.update_xaxes(title="", nticks=3)
    _date_ticks(fig)
    rows = math.ceil(len(order) / 4)
    # the legend on its own line under the title, not beside the panels: it took their width
    return _layout(fig, title, height=120 + 220 * rows, legend_top=80)


def _date_ticks(fig: go.Figure) -> None:
    """Upright dates, a month on a line above its year: "Jan 2024" beside "Jul 2024" ran together
    in a panel, and on one speaker's timeline, at 900 px (a projector)."""
    fig.update_xaxes(tickangle=0, tickfont_size=11, tickformatstops=[
        dict(dtickrange=[None, "M6"], value="%b<br>%Y"), dict(dtickrange=["M12", None], value="%Y")])


# Longer speaker names are cut in the bar labels (hover shows them whole), so that "International
# Campaign to Ban Landmines" does not take the bars' width on a narrow screen.
LABEL_CHARS = 28


def speaker_labels(speakers: list[str], actor_types: list[str]) -> list[str]:
    """"Name (type)" per bar, the name cut to `LABEL_CHARS` with "…"; a label that would then
    name two bars keeps its full names (one bar per label)."""
    full = [f"{s} ({a})" for s, a in zip(speakers, actor_types)]
    cut = [f"{s[:_label_room(s) - 1].rstrip()}… ({a})" if len(s) > _label_room(s) else f"{s} ({a})"
           for s, a in zip(speakers, actor_types)]
    return cut if len(set(cut)) == len(set(full)) else full


def _label_room(speaker: str) -> int:
    # "anonymous " says little and comes first: it should not take a third of the room
    return LABEL_CHARS + (len("anonymous ") if speaker.startswith("anonymous ") else 0)


def speakers_bar(df: pd.DataFrame, title: str = "Who gets quoted most") -> go.Figure:
    """Top speakers as horizontal bars stacked by stance; the label carries the actor type."""
    if df.empty:
        return empty_figure(title)
    data = df.copy()
    data["label"] = speaker_labels(list(data["speaker"]), list(data["actor_type"]))
    fig = go.Figure()
    for stance in ("opposed", "neutral", "supportive"):  # as on the diverging charts: opposed left
        share = data[stance] / data["n"]
        fig.add_bar(y=data["label"], x=data[stance], name=stance, orientation="h",
                    marker_color=STANCE_COLORS[stance], legendrank=_LEGEND_RANK[stance],
                    customdata=list(zip(data["actor_type"], [stance] * len(data), data[stance],
                                        share, [short(e) for e in data["example"]],
                                        data["speaker"])),
                    hovertemplate="<b>%{customdata[5]}</b> (%{customdata[0]}) · "
                    "%{customdata[1]}<br>%{customdata[2]:,} quotes · %{customdata[3]:.0%} of "
                    "theirs<br><i>e.g. “%{customdata[4]}”</i><extra></extra>")
    fig.update_yaxes(autorange="reversed", title="")
    fig.update_xaxes(title="quotes", gridcolor="#eee")
    _layout(fig, title, height=max(300, 90 + 24 * len(data)))
    # the legend on the title's line, not beside the bars: on a narrow screen it took their width;
    # plotly lists stacked traces in reverse by default, "normal" keeps the fixed order
    fig.update_layout(barmode="stack", legend=dict(orientation="h", yref="container", y=0.995,
                                                   yanchor="top", x=1, xanchor="right",
                                                   traceorder="normal"))
    return fig


def anonymity_bar(df: pd.DataFrame,
                  title: str = "How often each type of voice speaks anonymously") -> go.Figure:
    """Share of quotes from anonymous sources per actor type."""
    if df.empty:
        return empty_figure(title)
    data = df.set_index("actor_type").reindex([a for a in ACTOR_TYPES
                                               if a in set(df["actor_type"])]).reset_index()
    # one row per actor type, as on the diverging charts: seven names side by side under
    # columns were turned aslant and ran into each other at 900 px (a projector)
    fig = go.Figure(go.Bar(
        y=data["actor_type"], x=data["anonymous_share"], orientation="h",
        marker_color=[ACTOR_COLORS[a] for a in data["actor_type"]],
        customdata=list(zip(data["actor_type"], [None] * len(data), data["anonymous_n"],
                            data["n"], data["speakers"])),
        hovertemplate="<b>%{customdata[0]}</b><br>%{customdata[2]:,} of %{customdata[3]:,} "
        "quotes anonymous (%{x:.0%})<br>%{customdata[4]:,} distinct speakers<extra></extra>"))
    # from zero up: with no anonymous quote at all, plotly would centre the axis on 0 (-100%..100%)
    top = float(data["anonymous_share"].max() or 0.0)
    fig.update_xaxes(tickformat=".0%", title="anonymous share", gridcolor="#eee",
                     range=[0, max(0.05, top * 1.15)])
    fig.update_yaxes(autorange="reversed")  # ACTOR_TYPES order from the top
    return _layout(fig, title, height=150 + 30 * len(data))


def speaker_timeline(df: pd.DataFrame, speaker: str) -> go.Figure:
    """One speaker's quotes per period, stacked by stance."""
    title = f"{speaker}: quotes and stance over time"
    if df.empty:
        # the table under the chart lists undated quotes too: an empty axis must not deny them
        return empty_figure(title, "No dated quotes in these filters.<br>"
                                   "Quotes from undated articles are in the table.")
    fig = go.Figure()
    for stance in STANCES:
        part = df[df["stance"] == stance]
        fig.add_bar(x=part["period"], y=part["n"], name=stance,
                    marker_color=STANCE_COLORS[stance], legendrank=_LEGEND_RANK[stance],
                    customdata=list(zip([None] * len(part), part["stance"], part["n"],
                                        [short(e) for e in part["example"]])),
                    hovertemplate="%{x|%b %Y} · %{customdata[1]}: %{customdata[2]} quotes<br>"
                    "<i>e.g. “%{customdata[3]}”</i><extra></extra>")
    fig.update_layout(barmode="stack", legend_traceorder="normal")  # opposed first, as elsewhere
    fig.update_yaxes(title="quotes", gridcolor="#eee")
    if df.groupby("period")["n"].sum().max() <= 6:
        # quotes come whole: for a speaker with two quotes in a month plotly ticked 0.5 and 1.5
        fig.update_yaxes(dtick=1)
    fig.update_xaxes(nticks=4)
    _date_ticks(fig)
    # the legend under the title, not beside the bars: at 900 px (a projector) it took about a
    # fifth of the chart's width
    return _layout(fig, title, height=320, legend_top=60)


def cue_heatmap(df: pd.DataFrame, by: str = "actor_type",
                title: str = "Which verbs introduce each voice", narrow: bool = False) -> go.Figure:
    """Cue verbs (rows) by actor type or stance (columns): share of that column's quotes.

    `narrow` (side by side): the title wraps, the colour bar is thin, every column is labelled,
    and the colours run from 0 to 100% so that two maps side by side share one scale.
    """
    if df.empty:
        return empty_figure(title)
    cols = [c for c in (ACTOR_TYPES if by == "actor_type" else STANCES) if c in set(df[by])]
    counts = df.groupby(["cue", by])["n"].sum().unstack(by).reindex(columns=cols).fillna(0)
    counts = counts.loc[counts.sum(axis=1).sort_values(ascending=False).index]
    shares = counts / counts.sum(axis=0).replace(0, 1)
    fig = go.Figure(go.Heatmap(
        z=shares.values, x=cols, y=list(shares.index), colorscale="Blues", zmin=0,
        zmax=1.0 if narrow else None,
        # side by side the cells are too small to hold a number; colour and hover tell it
        text=[[f"{v:.0%}" for v in row] for row in shares.values],
        texttemplate="" if narrow else "%{text}",
        customdata=counts.values.astype(int),
        hovertemplate="<b>%{y}</b> for %{x}: %{customdata:,} quotes (%{z:.0%} of the column)"
        "<extra></extra>", colorbar=dict(tickformat=".0%", title="")))
    fig.update_yaxes(autorange="reversed")
    # Every column labelled, the names on their side: at 900 px (a projector) a column is about
    # 40 px wide full width, and plotly's aslant names ran into each other ("congressional").
    fig.update_xaxes(tickmode="array", tickvals=cols, tickangle=-90, tickfont_size=11)
    height = max(320, 80 + 26 * len(shares))
    _layout(fig, title, height=height)
    if narrow:
        _fit_narrow_title(fig, title, height + NARROW_COLORBAR)
        # the colour bar under the plot, not beside it: beside it, it left seven columns about
        # 9 px each at 900 px, and their names ran together even at 9 px
        fig.update_traces(colorbar=dict(orientation="h", thickness=8, nticks=3, yref="container",
                                        y=0, yanchor="bottom", x=0, xanchor="left"))
        fig.update_layout(margin_b=40 + NARROW_COLORBAR)
    return fig


NARROW_COLORBAR = 40  # pixels under a narrow heat map's column names for its colour bar


def voice_by_outlet(df: pd.DataFrame,
                    title: str = "Share of voice: whom each outlet quotes") -> go.Figure:
    """100% stacked bars per outlet, one segment per actor type in the fixed order."""
    if df.empty:
        return empty_figure(title)
    outlets = list(df.groupby("outlet")["n"].sum().sort_values(ascending=False).index)
    fig = go.Figure()
    for actor in ACTOR_TYPES:
        part = df[df["actor_type"] == actor].set_index("outlet").reindex(outlets)
        fig.add_bar(y=outlets, x=part["share"], name=actor, orientation="h",
                    marker_color=ACTOR_COLORS[actor],
                    customdata=list(zip([actor] * len(outlets), [None] * len(outlets),
                                        part["n"].fillna(0), part["share"].fillna(0),
                                        outlets)),
                    hovertemplate="<b>%{customdata[4]}</b> · %{customdata[0]}<br>"
                    "%{customdata[2]:,} quotes · %{customdata[3]:.0%} of the outlet's"
                    "<extra></extra>")
    fig.update_xaxes(tickformat=".0%", range=[0, 1], gridcolor="#eee")
    fig.update_yaxes(autorange="reversed")
    _layout(fig, title, height=max(320, 150 + 26 * len(outlets)))
    # seven actor types wrap onto two lines on a narrow screen: under the plot, not on the title
    fig.update_layout(barmode="stack", margin_b=90,
                      legend=dict(orientation="h", yref="container", y=0, yanchor="bottom", x=0,
                                  traceorder="normal"))
    return fig


def confusion_matrix(labels: list[str], matrix: list[list[int]],
                     title: str = "Where the model is right and wrong") -> go.Figure:
    """Gold (rows) against predicted (columns) counts, with row-normalised colour."""
    if not labels or not matrix:
        return empty_figure(title, "No confusion matrix in the model card.")
    df = pd.DataFrame(matrix, index=labels, columns=labels, dtype=float)
    norm = df.div(df.sum(axis=1).replace(0, 1), axis=0)
    fig = go.Figure(go.Heatmap(
        z=norm.values, x=labels, y=labels, colorscale="Blues", zmin=0, zmax=1,
        text=df.values.astype(int), texttemplate="%{text}",
        hovertemplate="gold %{y}, predicted %{x}: %{text} (%{z:.0%} of gold)<extra></extra>"))
    fig.update_xaxes(title="predicted")
    fig.update_yaxes(title="gold (a person's label)", autorange="reversed")
    return _layout(fig, title, height=380)


def calibration(bins: pd.DataFrame,
                title: str = "When the model says 80%, is it right 80% of the time?") -> go.Figure:
    """Reliability diagram: mean predicted probability against observed accuracy per bin."""
    if bins.empty:
        return empty_figure(title, "No calibration data in the model card.")
    fig = go.Figure()
    fig.add_scatter(x=[0, 1], y=[0, 1], mode="lines", name="perfectly calibrated",
                    line=dict(dash="dot", color="#999"))
    fig.add_scatter(x=bins["confidence"], y=bins["accuracy"], mode="lines+markers",
                    name="model", line=dict(color=STANCE_COLORS["supportive"]),
                    customdata=bins.get("count", pd.Series([None] * len(bins))),
                    hovertemplate="predicted %{x:.0%} → right %{y:.0%}"
                    " (%{customdata} quotes)<extra></extra>")
    fig.update_xaxes(range=[0, 1], tickformat=".0%", title="model's probability")
    fig.update_yaxes(range=[0, 1], tickformat=".0%", title="share correct", gridcolor="#eee")
    # the legend under the title, not beside the plot: at 900 px (a projector) it took about a
    # third of the chart's width
    return _layout(fig, title, height=380, legend_top=60)


def net_stance_authors_vs_model(
    df: pd.DataFrame, title: str = "Which side each kind of voice takes: authors' labels and the model"
) -> go.Figure:
    """Per actor type, supportive minus opposed share by gold labels and as predicted (dumbbell).

    `df` is `model_card.actor_type_shares`: columns "actor type", "quotes", "net (authors)",
    "net (model)". The line between the two dots is how far the dashboard's charts are off.
    """
    if df.empty:
        return empty_figure(title, "The model card has no gold quotes by actor type.")
    df = df.iloc[::-1]  # biggest type at the top
    labels = [f"{a} ({n})" for a, n in zip(df["actor type"], df["quotes"])]
    fig = go.Figure()
    for y, a, m in zip(labels, df["net (authors)"], df["net (model)"]):
        fig.add_scatter(x=[a, m], y=[y, y], mode="lines", line=dict(color="#bbb", width=3),
                        showlegend=False, hoverinfo="skip")
    for column, name, color in (("net (authors)", "authors' labels", "#333333"),
                                ("net (model)", "model", MODEL_COLOR)):
        fig.add_scatter(x=df[column], y=labels, mode="markers", name=name,
                        marker=dict(size=12, color=color),
                        hovertemplate=f"%{{y}}: {name} %{{x:+.0%}}<extra></extra>")
    extent = max(0.1, float(df[["net (authors)", "net (model)"]].abs().max().max()))
    fig.update_xaxes(range=[-extent * 1.1, extent * 1.1], tickformat="+.0%", zeroline=True,
                     zerolinecolor="#999", title="supportive share minus opposed share")
    # the legend under the title, not beside the dots: at 900 px (a projector) it took about a
    # quarter of the chart's width
    return _layout(fig, title, height=120 + 40 * len(df), legend_top=60)
