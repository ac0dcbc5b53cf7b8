"""Browser fixtures: `streamlit run dashboard.py` on the fixture store, driven by Debian's Chromium.

Without /usr/bin/chromium these tests skip locally but fail when $CI is set, so CI cannot pass
by silently skipping the browser.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.e2e.server import serve_dashboard

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                 "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
SCREENSHOTS = ROOT / "tests" / "screenshots"


@pytest.fixture(scope="session")
def chromium_path() -> str:
    if not CHROMIUM.exists():
        if os.environ.get("CI"):
            pytest.fail("CI is set but /usr/bin/chromium is missing: install Debian's chromium")
        pytest.skip("/usr/bin/chromium is not installed (apt-get install -y chromium)")
    return str(CHROMIUM)


@pytest.fixture(scope="session")
def app_url(fixture_store, chromium_path, tmp_path_factory):
    """The dashboard served on a free port, reading the fixture store."""
    log = tmp_path_factory.mktemp("streamlit") / "streamlit.log"
    # read-only: the tests open the same file to compare with, and DuckDB lets several
    # processes share a file only when none of them writes
    with serve_dashboard(fixture_store[0], log, read_only=True) as url:
        yield url


@pytest.fixture(scope="session")
def browser(chromium_path):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture()
def page(browser):
    context = browser.new_context(viewport={"width": 1400, "height": 1800}, accept_downloads=True)
    pg = context.new_page()
    pg.set_default_timeout(30_000)
    yield pg
    context.close()


@pytest.fixture(scope="session")
def screenshots() -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS
