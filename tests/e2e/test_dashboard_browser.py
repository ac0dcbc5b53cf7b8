"""End to end in headless Chromium: filters change the chart, a bar leads to its quotes, a quote
opens its article (escaped), the CSV download equals the database slice, and every page is
screenshotted into tests/screenshots/ (git-ignored) for a person to look at."""

from __future__ import annotations

import csv
import re

import pytest

from analysis.store import connect
from analysis.store import queries as Q
from analysis.store.queries import Filters

pytestmark = pytest.mark.e2e

PAGES = [("home", "/", "Who says what"), ("divisions", "/Divisions", "Divisions"),
         ("quotes", "/Quotes", "Quotes"), ("speakers", "/Speakers", "Speakers"),
         ("framing", "/Framing", "Framing"), ("model", "/Model", "The stance model")]
SETTLED_JS = """() => !document.querySelector('[data-testid="stStatusWidget"]')
  && !document.querySelector('[data-stale="true"]')
  && !document.querySelector('[data-testid="stSkeleton"]')
  && [...document.querySelectorAll('[data-testid="stPlotlyChart"]')]
       .every(c => c.querySelector('.main-svg'))"""


def settle(page) -> None:
    """Wait until the script run is over and every chart is drawn."""
    for _ in range(2):  # twice: a rerun can start right after the first quiet moment
        page.wait_for_timeout(300)
        page.wait_for_function(SETTLED_JS, polling=100)


def open_page(page, url: str, heading: str) -> None:
    page.goto(url)
    page.get_by_role("heading", level=1).filter(has_text=heading).wait_for()
    settle(page)


def y_labels(page) -> list[str]:
    return page.locator('[data-testid="stPlotlyChart"] .ytick text').all_text_contents()


def quotes_metric(page) -> int:
    value = page.get_by_test_id("stMetric").filter(has_text="Quotes").get_by_test_id(
        "stMetricValue").inner_text()
    return int(value.replace(",", ""))


def choose(page, label: str, option: str) -> None:
    page.get_by_role("combobox", name=label).click()
    page.get_by_role("option", name=option, exact=True).click()
    page.keyboard.press("Escape")
    settle(page)


def test_every_page_renders_and_is_screenshotted(page, app_url, screenshots):
    for name, path, heading in PAGES:
        open_page(page, app_url + path, heading)
        assert not page.get_by_test_id("stException").count(), name
        page.screenshot(path=str(screenshots / f"{name}.png"), full_page=True)


def test_a_filter_changes_the_chart_and_the_url(page, app_url, screenshots):
    open_page(page, app_url, "Who says what")
    before = quotes_metric(page)
    assert {"military", "humanitarian", "congressional", "international"} <= set(y_labels(page))
    choose(page, "Actor types", "military")
    page.wait_for_function("() => location.search.includes('actor_types=military')")
    settle(page)
    assert quotes_metric(page) < before
    assert y_labels(page) == ["military"]
    page.screenshot(path=str(screenshots / "home_filtered.png"), full_page=True)
    # the link reproduces the view in a fresh session
    page.goto(href(page))
    page.get_by_role("heading", level=1).wait_for()
    settle(page)
    assert y_labels(page) == ["military"]


def href(page) -> str:
    """The address bar (Streamlit changes it with the History API)."""
    return page.evaluate("() => location.href")


def click_bar(page, index: int = 0) -> None:
    """Hover, then click a bar the way a person does (plotly selects on click)."""
    bar = page.locator('[data-testid="stPlotlyChart"] .barlayer .point path').nth(index)
    box = bar.bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.wait_for_timeout(300)
    page.mouse.down()
    page.mouse.up()


def test_clicking_a_bar_opens_its_quotes_and_back(page, app_url, screenshots):
    open_page(page, app_url + "/?actor_types=humanitarian", "Who says what")
    heading = page.get_by_role("heading", level=1, name="Quotes")
    for _attempt in range(3):  # the first click can land while the chart is still settling
        click_bar(page)
        try:
            heading.wait_for(timeout=8_000)
            break
        except Exception:  # playwright's TimeoutError: try the click again
            continue
    heading.wait_for()
    settle(page)
    assert "actor_types=humanitarian" in href(page) and "stances=" in href(page)
    page.screenshot(path=str(screenshots / "drill_down.png"), full_page=True)
    page.get_by_role("button", name=re.compile("Back to the chart")).click()
    page.get_by_role("heading", level=1).filter(has_text="Who says what").wait_for()
    settle(page)
    assert "stances=" not in href(page)


def test_a_quote_opens_its_article_escaped(page, app_url, fixture_store, screenshots):
    con = connect(fixture_store[0], read_only=True)
    qid, aid = con.execute("SELECT q.id, q.article_id FROM quotes q JOIN articles a ON "
                           "a.id = q.article_id WHERE a.text LIKE '%<script>%' LIMIT 1"
                           ).fetchall()[0]
    con.close()
    open_page(page, f"{app_url}/Quotes?quote={qid}&article={aid}", "Quotes")
    article = page.locator("mark").first
    article.wait_for()
    assert page.locator("mark").count() >= 3
    assert page.get_by_text("<script>window.__pwned = 1</script>", exact=False).count() >= 1
    assert page.evaluate("() => window.__pwned") is None
    page.screenshot(path=str(screenshots / "quote_article.png"), full_page=True)


def test_selecting_a_row_opens_the_article(page, app_url):
    open_page(page, app_url + "/Quotes", "Quotes")
    grid = page.get_by_test_id("stDataFrame")
    box = grid.bounding_box()
    # the glide grid is a canvas: click the first row's selection cell
    page.mouse.click(box["x"] + 18, box["y"] + 35 + 18)
    page.locator("mark").first.wait_for()
    chosen = re.search(r"quote=([0-9a-f]+)", href(page)).group(1)
    # another order puts another quote in that row: the chosen one stays open
    choose(page, "Sort by", "oldest")
    assert re.search(r"quote=([0-9a-f]+)", href(page)).group(1) == chosen
    page.locator("mark").first.wait_for()


def test_csv_download_equals_the_database(page, app_url, fixture_store, tmp_path):
    open_page(page, app_url + "/?actor_types=military&actor_types=expert", "Who says what")
    with page.expect_download() as info:
        page.get_by_role("button", name=re.compile("Download CSV")).click()
    download = info.value
    assert download.suggested_filename == "stance-quotes_actor_types-military+expert.csv"
    target = tmp_path / "slice.csv"
    download.save_as(target)
    with open(target, newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    con = connect(fixture_store[0], read_only=True)
    sql, params = Q.slice_sql(Filters(actor_types=("military", "expert")), sort=None)
    expected = con.execute(sql, params).df()
    con.close()
    assert sorted(r["quote_id"] for r in rows) == sorted(expected["quote_id"])
    assert {r["actor_type"] for r in rows} == {"military", "expert"}
    assert not any(r["quote"][:1] in "=+-@" for r in rows)


def test_one_back_leaves_a_page_opened_with_its_default_toggles(page, app_url):
    open_page(page, app_url + "/Model", "The stance model")
    page.get_by_role("link", name="Divisions").click()
    page.get_by_role("heading", level=1).filter(has_text="Divisions").wait_for()
    settle(page)
    page.go_back()  # writing the default toggles into the URL used to add steps to go back through
    page.get_by_role("heading", level=1).filter(has_text="The stance model").wait_for()
    assert href(page).split("?")[0].endswith("/Model")


CUT_LABELS_JS = """() => [...document.querySelectorAll(
    '[data-testid="stDownloadButton"] button *, [data-testid="stButton"] button *, '
    + '[data-testid="stMetricLabel"] *')]
  .filter(el => getComputedStyle(el).textOverflow === 'ellipsis'
                && el.scrollWidth > el.clientWidth + 1)
  .map(el => el.innerText.trim())"""


# Fields too narrow for their value or placeholder: at 900 px the Add-articles date box showed
# "y" of "yyyy/mm/dd". A date box lays its parts out in a box that scrolls when too narrow.
CUT_FIELDS_JS = """() => {
  const ctx = document.createElement('canvas').getContext('2d');
  const fields = [...document.querySelectorAll('[data-testid="stTextInput"] input, '
                                               + '[data-testid="stNumberInput"] input')]
    .filter(el => el.offsetParent).filter(el => {
      const css = getComputedStyle(el);
      ctx.font = css.font;
      const room = el.clientWidth - parseFloat(css.paddingLeft) - parseFloat(css.paddingRight);
      return ctx.measureText(el.value || el.placeholder).width > room + 1;
    }).map(el => el.getAttribute('aria-label') || el.placeholder);
  const dates = [...document.querySelectorAll('[data-testid="stDateInput"]')]
    .filter(d => [...d.querySelectorAll('div')].some(el => el.scrollWidth > el.clientWidth + 1
                                                     && getComputedStyle(el).overflowX === 'auto'))
    .map(d => d.innerText.trim().split('\\n')[0]);
  return fields.concat(dates);
}"""


# Dropdowns too narrow for their choice (they cannot wrap): at 900 px Model's Evaluation box cut
# "model_card.json: grouped_cv.two_stage_signed_pairs_emb_svm (shipped)".
CUT_CHOICES_JS = """() => {
  const ctx = document.createElement('canvas').getContext('2d');
  return [...document.querySelectorAll('[data-testid="stSelectbox"] input')]
    .filter(el => el.offsetParent).filter(el => {
      const css = getComputedStyle(el);
      ctx.font = css.font;
      const room = el.clientWidth - parseFloat(css.paddingLeft) - parseFloat(css.paddingRight);
      return ctx.measureText(el.value || el.placeholder).width > room + 1;
    }).map(el => el.getAttribute('aria-label') + ': ' + el.value);
}"""


# Controls whose boxes cross: in fixed columns, at 900 px "Time step" covered "count" ("co week").
COVERED_CONTROLS_JS = """() => {
  const boxes = [...document.querySelectorAll('[data-testid="stButtonGroup"] button, '
      + '[data-testid="stSlider"], [data-testid="stSelectbox"], [data-testid="stDateInput"], '
      + '[data-testid="stTextInput"], [data-testid="stNumberInput"], '
      + '[data-testid="stDownloadButton"], [data-testid="stButton"]')]
    .filter(el => el.offsetParent).map(el => [el.innerText.trim().split('\\n')[0], el.getBoundingClientRect()]);
  const hits = [];
  for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) {
    const [s, a] = boxes[i], [t, b] = boxes[j];
    if (a.left < b.right - 1 && b.left < a.right - 1 && a.top < b.bottom - 1 && b.top < a.bottom - 1)
      hits.push(s + ' / ' + t);
  }
  return hits;
}"""


# Chart text that runs past the chart's edge (plotly neither wraps a title nor keeps an axis title
# inside), and axis tick labels or panel titles that run into each other ("75%50%25%0%").
CHART_TEXT_JS = """() => [...document.querySelectorAll('[data-testid="stPlotlyChart"]')].flatMap(c => {
  const edge = c.querySelector('.main-svg').getBoundingClientRect();
  const box = el => el.getBoundingClientRect();
  const texts = [...c.querySelectorAll('.gtitle, .xtitle, .ytitle, .annotation-text, .xtick text, '
                                       + '.ytick text, .legendtext')].filter(el => box(el).width);
  const out = texts.filter(el => box(el).right > edge.right + 1 || box(el).left < edge.left - 1)
    .map(el => 'outside: ' + el.textContent);
  const groups = [...c.querySelectorAll('.xaxislayer-above')].map(g => [...g.querySelectorAll('.xtick text')]);
  groups.push([...c.querySelectorAll('.annotation-text')]);
  for (const g of groups) for (let i = 0; i < g.length; i++) for (let j = i + 1; j < g.length; j++) {
    const a = box(g[i]), b = box(g[j]);
    if (a.width && b.width && a.left < b.right - 1 && b.left < a.right - 1
        && a.top < b.bottom - 1 && b.top < a.bottom - 1)
      out.push('overlap: ' + g[i].textContent + ' / ' + g[j].textContent);
  }
  return out;
})"""
CHART_TEXT_PAGES = {"home", "divisions", "speakers", "framing", "model"}


@pytest.mark.parametrize("width", [900, 1400])  # a projector, and a laptop
def test_no_label_control_or_chart_text_is_cut_or_covered(browser, app_url, screenshots, width):
    context = browser.new_context(viewport={"width": width, "height": 1400})
    page = context.new_page()
    page.set_default_timeout(30_000)
    try:
        for name, path, heading in PAGES:  # the five pages with exports, and Model's metrics
            open_page(page, app_url + path, heading)
            if name == "model":  # its card's metrics, calibration included (data/model_card.json)
                assert page.get_by_test_id("stMetricLabel").filter(
                    has_text="Expected calibration error").count(), name
            else:
                assert page.get_by_test_id("stDownloadButton").count(), name
            # e.g. "Downloa…", "Anonymo…", "Expected calibrat…"
            assert page.evaluate(CUT_LABELS_JS) == [], name
            assert page.evaluate(CUT_CHOICES_JS) == [], name
            # the sidebar's date boxes too: in two columns they showed "yyyy - mm -"
            assert page.evaluate(CUT_FIELDS_JS) == [], name
            assert page.evaluate(COVERED_CONTROLS_JS) == [], name
            if name in CHART_TEXT_PAGES:
                assert page.evaluate(CHART_TEXT_JS) == [], name
            page.screenshot(path=str(screenshots / f"{name}_{width}.png"))
        # chosen dates, not only the placeholder, must fit their boxes
        open_page(page, app_url + "/?date_from=2024-01-05&date_to=2024-10-28", "Who says what")
        assert page.evaluate(CUT_FIELDS_JS) == []
        # Framing's two articles side by side: in half columns at 900 px the boxes showed
        # "2024-01-01 · Ledger · Art" (and of the demo's titles, none)
        open_page(page, app_url + "/Framing?frm_mode=two+articles", "Framing")
        assert page.get_by_role("combobox", name="Article 2").count()
        assert page.evaluate(CUT_CHOICES_JS) == []
        assert page.evaluate(COVERED_CONTROLS_JS) == []
    finally:
        context.close()


# The headers of the table's columns in view: the grid writes them out for screen readers, for
# the columns its canvas draws (those in view, and a column starting within a few pixels of the
# right edge). So when the column after the stance is listed, the stance is wholly in view.
GRID_COLUMNS_JS = """() => [...document.querySelectorAll('[data-testid="stDataFrame"] th')]
  .map(h => h.innerText.trim())"""
GRID_SCROLLS_JS = """() => { const s = document.querySelector('[data-testid="stDataFrame"] .dvn-scroller');
  return s.scrollWidth > s.clientWidth + 1; }"""


@pytest.mark.parametrize("width", [900, 1400])
def test_the_quotes_table_shows_who_said_it_and_which_side_beside_the_quote(browser, app_url,
                                                                              width):
    """At 900 px (a projector) the table is about 440 px wide, and with the quote on one line of
    400 px the speaker, actor type, stance, date and outlet were all scrolled out of sight."""
    context = browser.new_context(viewport={"width": width, "height": 1400})
    page = context.new_page()
    page.set_default_timeout(30_000)
    try:
        open_page(page, app_url + "/Quotes", "Quotes")
        page.locator('[data-testid="stDataFrame"] th').first.wait_for(state="attached")
        shown = page.evaluate(GRID_COLUMNS_JS)
        assert shown[:3] == ["Quote", "Speaker (type)", "Stance"] and len(shown) > 3, shown
        # the actor type rides with the speaker's name: "Military Speaker 0 (military)"
        who = page.locator('[data-testid="stDataFrame"] td[id="glide-cell-2-0"]').inner_text()
        assert re.fullmatch(r".+ \((military|executive|congressional|humanitarian|"
                            r"international|expert|other)\)", who), who
        if width == 1400:  # a laptop: every column in view
            assert shown == ["Quote", "Speaker (type)", "Stance", "Date", "Probability",
                             "Outlet", "Cue"]
            assert not page.evaluate(GRID_SCROLLS_JS)
    finally:
        context.close()
