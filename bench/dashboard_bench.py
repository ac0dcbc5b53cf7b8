"""Dashboard benchmark on a 1,000,000-quote store (targets in DESIGN.md).

Reports:
1. every page's store queries: median and max milliseconds over repeats and filter variants
   (target < 200 ms each);
2. the CSV export of the whole 1,000,000-row slice: seconds and the exporting process's peak RSS
   (target < 5 s, the slice never held twice);
3. in headless Chromium, each page's time from navigation until all its charts are drawn, with
   an empty cache (cold) and again (warm) (target < 1.5 s), and the Streamlit process's peak RSS
   (target < 1 GB).

    python bench/dashboard_bench.py [--db bench/out/synthetic_1m.duckdb] [--skip-browser]

Results go to stdout and bench/out/dashboard_bench.json.
"""

from __future__ import annotations

import argparse
import json
import os
from pathlib import Path
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from typing import Any
import urllib.request

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from analysis.store import connect  # noqa: E402
from analysis.store import queries as Q  # noqa: E402
from analysis.store.queries import Filters  # noqa: E402

OUT = ROOT / "bench" / "out"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                 "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
# The questions each page asks (as the pages call them).
PAGE_QUERIES: dict[str, list[tuple[str, dict[str, Any]]]] = {
    "Home": [("corpus_summary", {}), ("stance_by_actor", {}), ("count_quotes", {}),
             ("speaker_options", {})],
    "Divisions": [("stance_by_actor_outlet", {"top_outlets": 9}),
                  ("stance_over_time", {"grain": "month"})],
    "Quotes": [("count_quotes", {}), ("quotes_page", {"limit": 100, "offset": 0}),
               ("quotes_page", {"limit": 100, "offset": 50_000})],
    "Speakers": [("top_speakers", {"limit": 25}), ("anonymity_by_actor", {}),
                 ("speaker_timeline", {"speaker": None, "grain": "month"})],
    "Framing": [("cue_verbs", {"top_n": 15, "lemmas": "cue_lemmas"}), ("voice_by_outlet", {"top_outlets": 15}),
                ("articles_list", {"limit": 300})],
}
VARIANTS = {
    "no filter": Filters(),
    "actor+stance": Filters(actor_types=("military", "humanitarian"), stances=("opposed",)),
    "search": Filters(search="children"),
    "confidence>=0.8": Filters(min_confidence=0.8),
}
# Browser: URL path and how many charts the page draws when it is done.
BROWSER_PAGES = [("Home", "/", 1, "Who says what"), ("Divisions", "/Divisions", 2, "Divisions"),
                 ("Quotes", "/Quotes", 0, "Quotes"), ("Speakers", "/Speakers", 3, "Speakers"),
                 ("Framing", "/Framing", 6, "Framing"), ("Model", "/Model", 1, "The stance model")]


def bench_queries(db: Path, repeats: int = 3) -> dict[str, Any]:
    """Milliseconds per page question: median and max over repeats x filter variants."""
    con = connect(db, read_only=True)
    top = Q.top_speakers(con, Filters(), 1)["speaker"].iloc[0]
    out: dict[str, Any] = {}
    for page, questions in PAGE_QUERIES.items():
        for name, kwargs in questions:
            kw = {k: (top if k == "speaker" and v is None else v) for k, v in kwargs.items()}
            if kw.get("lemmas") == "cue_lemmas":  # as the Framing page passes them
                from analysis.cues import cue_lemmas
                kw["lemmas"] = cue_lemmas()
            times = []
            for f in VARIANTS.values():
                for _ in range(repeats):
                    t0 = time.perf_counter()
                    getattr(Q, name)(con, f, **kw)
                    times.append((time.perf_counter() - t0) * 1000)
            label = f"{page}.{name}" + (f"(offset={kw['offset']})" if kw.get("offset") else "")
            out[label] = {"median_ms": round(statistics.median(times), 1),
                          "max_ms": round(max(times), 1)}
    con.close()
    return out


def bench_export(db: Path) -> dict[str, Any]:
    """Export the whole slice to CSV in a fresh process; seconds, rows, bytes, peak RSS."""
    # VmHWM (peak RSS of this process image), not ru_maxrss: Linux carries ru_maxrss across exec,
    # so a child would report the parent's peak.
    code = (
        "import sys, time, json\n"
        "from pathlib import Path\n"
        "from analysis.store import connect\n"
        "from analysis.store.queries import Filters\n"
        "from analysis.export import write_csv\n"
        "def hwm():\n"
        "    for l in Path('/proc/self/status').read_text().splitlines():\n"
        "        if l.startswith('VmHWM:'): return int(l.split()[1]) // 1024\n"
        "con = connect(sys.argv[1], read_only=True)\n"
        "before = hwm()\n"
        "t0 = time.perf_counter()\n"
        "with open(sys.argv[2], 'wb') as out:\n"
        "    rows = write_csv(con, Filters(), out)\n"
        "print(json.dumps({'rows': rows, 'seconds': round(time.perf_counter() - t0, 2),\n"
        "  'peak_rss_before_mb': before, 'peak_rss_mb': hwm()}))\n"
    )
    with tempfile.TemporaryDirectory() as tmp:
        target = Path(tmp) / "slice.csv"
        res = subprocess.run([sys.executable, "-c", code, str(db), str(target)], cwd=ROOT,
                             capture_output=True, text=True, check=True)
        result = json.loads(res.stdout.strip().splitlines()[-1])
        result["csv_mb"] = round(target.stat().st_size / 1e6, 1)
    return result


def _wait_health(port: int, timeout: float = 60) -> None:
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2):
                return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError("streamlit did not become healthy")


def _peak_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return round(int(line.split()[1]) / 1024, 1)
    return float("nan")


DRAWN_JS = """([expected, heading]) => {
  const h1 = document.querySelector('h1');
  if (!h1 || !h1.textContent.startsWith(heading)) return false;
  if (document.querySelector('[data-stale="true"]')) return false;
  if (document.querySelector('[data-testid="stStatusWidget"]')) return false;
  if (document.querySelector('[data-testid="stSkeleton"]')) return false;
  const charts = [...document.querySelectorAll('[data-testid="stPlotlyChart"]')];
  const drawn = charts.filter(c => c.querySelector('.main-svg')).length;
  if (expected === 0) return !!document.querySelector('[data-testid="stDataFrame"] canvas');
  return charts.length >= expected && drawn === charts.length;
}"""


def _ui_download(page: Any, port: int, query: str, button: str) -> dict[str, Any]:
    """Press a download button on Home with the filters in `query`; seconds and size."""
    page.goto(f"http://127.0.0.1:{port}/?{query}")
    page.wait_for_function(DRAWN_JS, arg=[1, "Who says what"], timeout=120_000, polling=50)
    t0 = time.perf_counter()
    with page.expect_download(timeout=300_000) as info:
        page.get_by_role("button", name=button).click()
    with tempfile.TemporaryDirectory() as tmp:
        target = Path(tmp) / info.value.suggested_filename
        info.value.save_as(target)
        return {"query": query, "file": target.name, "seconds": round(time.perf_counter() - t0, 2),
                "mb": round(target.stat().st_size / 1e6, 1)}


def bench_browser(db: Path, port: int = 8650) -> dict[str, Any]:
    """Start streamlit on the store and time each page in headless Chromium (cold, then warm)."""
    from playwright.sync_api import sync_playwright

    env = {**os.environ, "STANCE_DB": str(db)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "dashboard.py", "--server.headless", "true",
         "--server.address", "127.0.0.1", "--server.port", str(port),
         "--browser.gatherUsageStats", "false"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    out: dict[str, Any] = {}
    try:
        _wait_health(port)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            page = browser.new_context(viewport={"width": 1400, "height": 1000},
                                       accept_downloads=True).new_page()
            page.goto(f"http://127.0.0.1:{port}/_stcore/health")  # warm the HTTP connection
            # full loads: a new session each time (what a shared link costs)
            for rnd in ("cold", "warm"):
                for name, path, expected, heading in BROWSER_PAGES:
                    t0 = time.perf_counter()
                    page.goto(f"http://127.0.0.1:{port}{path}")
                    page.wait_for_function(DRAWN_JS, arg=[expected, heading], timeout=120_000,
                                           polling=50)
                    out.setdefault(name, {})[f"load_{rnd}_s"] = round(time.perf_counter() - t0, 2)
            # in-app navigation: a click in the page menu, same session (what browsing costs)
            nav = page.get_by_test_id("stSidebarNav")
            for name, path, expected, heading in BROWSER_PAGES[1:] + BROWSER_PAGES[:1]:
                t0 = time.perf_counter()
                nav.locator(f'a[href$="{path}"]').first.click()
                page.wait_for_function(DRAWN_JS, arg=[expected, heading], timeout=120_000,
                                       polling=50)
                out[name]["nav_s"] = round(time.perf_counter() - t0, 2)
            out["streamlit_peak_rss_mb_pages"] = _peak_rss_mb(proc.pid)
            out["ui_parquet_all"] = _ui_download(page, port, "", "Download Parquet")
            out["ui_csv_military_supportive"] = _ui_download(
                page, port, "actor_types=military&stances=supportive", "Download CSV")
            browser.close()
        out["streamlit_peak_rss_mb"] = _peak_rss_mb(proc.pid)
    finally:
        proc.terminate()
        proc.wait(timeout=20)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, default=OUT / "synthetic_1m.duckdb")
    parser.add_argument("--skip-browser", action="store_true")
    args = parser.parse_args()
    if not args.db.exists():
        from bench.make_synthetic_store import build
        args.db.parent.mkdir(parents=True, exist_ok=True)
        print("building", args.db, build(args.db))
    results: dict[str, Any] = {"db": str(args.db)}
    results["queries_ms"] = bench_queries(args.db)
    for label, r in results["queries_ms"].items():
        flag = "" if r["max_ms"] < 200 else "  <-- over 200 ms"
        print(f"{label:48s} median {r['median_ms']:7.1f} ms  max {r['max_ms']:7.1f} ms{flag}")
    results["export"] = bench_export(args.db)
    print("CSV export:", results["export"])
    if not args.skip_browser and Path(CHROMIUM).exists():
        results["browser"] = bench_browser(args.db)
        for name, r in results["browser"].items():
            print(f"{name:10s} {r}")
    results["load_average"] = os.getloadavg()  # other work on this machine skews the timings
    results["bench_process_peak_rss_mb"] = (
        resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024)
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "dashboard_bench.json").write_text(json.dumps(results, indent=2, default=str))


if __name__ == "__main__":
    main()
