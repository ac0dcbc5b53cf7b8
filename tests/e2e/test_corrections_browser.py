"""Bring your own article, correct it, restart: in real headless Chromium.

Upload an article file on the Add-articles page, see its quotes on the Quotes page and in the
charts, correct one stance on the Review page, restart Streamlit, and find the correction still
applied and in the CSV export.
"""

from __future__ import annotations

import csv
from pathlib import Path
import re
import shutil

import pytest

from analysis.store import connect
from tests.e2e.server import serve_dashboard
from tests.e2e.test_dashboard_browser import CUT_FIELDS_JS, CUT_LABELS_JS

SEED = Path(__file__).resolve().parents[3] / "shared" / "seeds" / "000_857e303ab0f3176d.txt"
OWN_ARTICLE = (
    "Senators split over mine ban\n\n"
    "“Lifting the ban puts children at risk for decades,” said Senator Ada Price, a Democrat.\n"
    "“This gives our commanders a tool they need,” General Tomas Reyes told reporters.\n"
    "The Red Cross warned that the mines would kill farmers long after any war ends.\n"
)
ISSUE = "Lifting the US ban on anti-personnel landmines"
SETTLED_JS = """() => !document.querySelector('[data-testid="stStatusWidget"]')
  && !document.querySelector('[data-stale="true"]')"""


def settle(page) -> None:
    for _ in range(2):
        page.wait_for_timeout(300)
        page.wait_for_function(SETTLED_JS, polling=100)


def matching_quotes(page, url: str) -> int:
    """The count the Quotes page reports for the filters in `url`."""
    page.goto(url)
    caption = page.get_by_text(re.compile(r"[\d,]+ quotes? match(es)? the filters"))
    caption.wait_for()
    return int(re.search(r"([\d,]+) quotes? match", caption.inner_text()).group(1).replace(",", ""))


@pytest.fixture()
def article_file(tmp_path) -> Path:
    if SEED.exists():
        return SEED
    path = tmp_path / "senators-split.txt"
    path.write_text(OWN_ARTICLE, encoding="utf-8")
    return path


def test_upload_correct_restart_export(page, chromium_path, fixture_store, article_file, tmp_path,
                                       screenshots):
    db = tmp_path / "store.duckdb"
    shutil.copy(fixture_store[0], db)
    log = tmp_path / "streamlit.log"
    with serve_dashboard(db, log, read_only=False) as url:
        # 1. upload the article file
        page.goto(url + "/Ingest")
        page.get_by_role("heading", name="Add articles").wait_for()
        page.set_viewport_size({"width": 900, "height": 1800})  # a projector
        settle(page)
        assert page.evaluate(CUT_FIELDS_JS) == []
        page.set_viewport_size({"width": 1400, "height": 1800})
        settle(page)
        assert page.evaluate(CUT_FIELDS_JS) == []
        page.locator("input[type=file]").set_input_files(str(article_file))
        page.get_by_role("textbox", name="Issue (what stance is measured toward)").fill(ISSUE)
        page.get_by_role("textbox", name="Outlet").fill("Seed Gazette")
        page.get_by_role("button", name="Add articles").click()
        page.get_by_text(re.compile(r"1 article added with \d+ quotes?;")).wait_for(timeout=180_000)
        page.screenshot(path=str(screenshots / "ingest_done.png"), full_page=True)

        # 2. its quotes are on the Quotes page and in the home chart
        n_new = matching_quotes(page, url + "/Quotes?outlets=Seed+Gazette")
        assert n_new >= 3
        page.goto(url + "/?outlets=Seed+Gazette")
        metric = page.get_by_test_id("stMetric").filter(has_text="Quotes").get_by_test_id("stMetricValue")
        metric.wait_for()
        assert int(metric.inner_text().replace(",", "")) == n_new
        page.locator('[data-testid="stPlotlyChart"] .main-svg').first.wait_for()

        # 3. correct one stance in the review queue
        page.goto(url + "/Review?outlets=Seed+Gazette")
        # Streamlit marks each widget's container with its key: st-key-rv_opposed_<quote id>
        container = page.locator('[class*="st-key-rv_opposed_"]').first
        container.wait_for()
        # at 900 px (a projector) the card's buttons read "Su…", "O…", "Se…", "Re…"
        page.set_viewport_size({"width": 900, "height": 1800})
        settle(page)
        assert page.evaluate(CUT_LABELS_JS) == []
        page.set_viewport_size({"width": 1400, "height": 1800})
        key = next(c for c in container.get_attribute("class").split()
                   if c.startswith("st-key-rv_opposed_"))
        quote_id = key.removeprefix("st-key-rv_opposed_")
        container.get_by_role("button").click()
        page.get_by_text("Stance set to opposed.").wait_for()
        settle(page)
        page.screenshot(path=str(screenshots / "review_after_correction.png"), full_page=True)

        # 3b. confirming a speaker (a correction that can regroup a remark) re-scores its article
        page.locator('[class*="st-key-rv_rename_"]').first.get_by_role("button").click()
        page.get_by_text(re.compile(r"Speaker set to .*Re-scored \d+ quotes? with their speakers' remarks\.")).wait_for(
            timeout=60_000)
        settle(page)

        # 3c. a rule on the Speakers tab keeps that tab open (its message used to move the tabs)
        page.get_by_role("tab", name="Speakers").click()
        page.get_by_test_id("stTabs").get_by_role("combobox", name="Speaker", exact=True).click()
        page.get_by_role("option").first.click()
        settle(page)
        page.get_by_role("button", name="Set for all quotes").click()
        page.get_by_text(re.compile(r"is now \w+ in every quote\.")).wait_for(timeout=60_000)
        settle(page)
        assert page.get_by_role("tab", name="Speakers").get_attribute("aria-selected") == "true"

    # 4. restart: the correction is still there and the export carries it
    with serve_dashboard(db, log, read_only=False) as url:
        page.goto(url + "/Quotes?outlets=Seed+Gazette")
        page.get_by_text(re.compile(r"quotes? match(es)? the filters")).wait_for()
        with page.expect_download() as info:
            page.get_by_role("button", name=re.compile("Download CSV")).click()
        target = tmp_path / "slice.csv"
        info.value.save_as(target)
    with open(target, newline="", encoding="utf-8") as fh:
        rows = {r["quote_id"]: r for r in csv.DictReader(fh)}
    assert len(rows) == n_new
    assert rows[quote_id]["stance"] == "opposed"
    con = connect(db)
    assert con.execute("SELECT stance, corrected FROM quote_facts WHERE quote_id = ?",
                       [quote_id]).fetchall() == [("opposed", True)]
    con.close()
