"""AppTest of one page inside the whole app, as `streamlit run dashboard.py` serves it."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[1]


def app_page(page: str, timeout: float = 60) -> AppTest:
    """An AppTest (not run yet) of `page`, with dashboard.py as the app's entry point, so the
    sidebar's page links resolve as they do in the browser."""
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=timeout)
    return at if page == "dashboard.py" else at.switch_page(page)
