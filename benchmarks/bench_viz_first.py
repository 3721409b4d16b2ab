"""First-view load time of the network page, for this checkout and another one (e.g. main).

Two cases, each timed from the request until the page is drawn and answers
(``aikg.state.ready``), median of ``--repeat`` loads in headless Chromium:

- demo: ``/graph`` with no parameters, served by a real ``uvicorn`` process over the demo
  store (the 18 example articles; built with ``aikg demo --no-serve`` when missing);
- 5k: a synthetic 5,000-node graph (benchmarks/bench_viz.py's) through ``build_view`` with
  the default limit and the standalone page, as ``aikg viz`` writes it; the server part
  (build + render) is added to the browser time.

Each checkout's own code runs in its own processes (``PYTHONPATH=<checkout>``), so
``--other /work/main`` gives the ratio to main.

Usage: python benchmarks/bench_viz_first.py --demo-store /tmp/demo-store [--other /work/main]
Writes benchmarks/results/viz_first.json. Needs /usr/bin/chromium.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]

# Run in a child with the checkout on PYTHONPATH: build the first view of the synthetic
# graph and write the standalone page; print the seconds spent.
_RENDER_5K = """
import sys, time
sys.path.insert(0, {bench!r})
from bench_viz import synthetic_graph, add_evidence
from kg.viz import build_view
try:
    from api.render import render_graph_page as render
except ImportError:
    from kg.viz import render_html as render
G = synthetic_graph({n})
t0 = time.perf_counter()
view = build_view(G)
add_evidence(view)
page = render(view, title="first view")
open({out!r}, "w", encoding="utf-8").write(page)
print(time.perf_counter() - t0, len(view.nodes))
"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _env(checkout: Path) -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(checkout)}


def _wait_ready(page, timeout_s: float = 120) -> None:
    page.evaluate(
        """ms => new Promise((resolve, reject) => {
        const t0 = performance.now();
        (function check() {
            if (window.aikg && window.aikg.state.ready) resolve(true);
            else if (performance.now() - t0 > ms) reject(new Error("timed out"));
            else setTimeout(check, 10);
        })();
    })""",
        timeout_s * 1000,
    )


def _time_load(browser, url: str, repeat: int) -> tuple[float, int]:
    """Return the median seconds from navigation to ready, and the entities drawn."""
    times, shown = [], 0
    for _ in range(repeat):
        context = browser.new_context(viewport={"width": 1280, "height": 800})
        page = context.new_page()
        t0 = time.perf_counter()
        page.goto(url, timeout=120_000)
        _wait_ready(page)
        times.append(time.perf_counter() - t0)
        shown = page.evaluate("aikg.nodes.get({filter: n => !n.hidden}).length")
        context.close()
    return statistics.median(times), shown


def measure(checkout: Path, demo_store: Path, browser, repeat: int, tmp: Path) -> dict:
    """Time both cases with the code of one checkout."""
    port = _free_port()
    env = {**_env(checkout), "AIKG_STORE": str(demo_store)}
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "uvicorn",
            "--factory",
            "aikg.cli_serve:app_factory",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--log-level",
            "warning",
        ],
        cwd=checkout,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        import httpx

        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if httpx.get(url + "/graph", timeout=30).status_code == 200:  # also warms the cache
                    break
            except httpx.TransportError:
                time.sleep(0.2)
        demo_s, demo_shown = _time_load(browser, url + "/graph", repeat)
    finally:
        proc.terminate()
        proc.wait(10)
    out = tmp / f"first-{abs(hash(str(checkout)))}.html"
    child = subprocess.run(
        [sys.executable, "-c", _RENDER_5K.format(bench=str(HERE), n=5000, out=str(out))],
        cwd=checkout,
        env=_env(checkout),
        capture_output=True,
        text=True,
        check=True,
    )
    server_s, built = child.stdout.split()
    page_s, shown = _time_load(browser, out.as_uri(), repeat)
    return {
        "checkout": str(checkout),
        "demo_graph": {"ready_ms": round(demo_s * 1000), "entities_shown": demo_shown},
        "synthetic_5k": {
            "build_render_ms": round(float(server_s) * 1000),
            "browser_ready_ms": round(page_s * 1000),
            "total_ms": round((float(server_s) + page_s) * 1000),
            "entities_in_page": int(built),
            "entities_shown": shown,
            "page_mb": round(out.stat().st_size / 1e6, 2),
        },
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--demo-store", type=Path, required=True, help="The demo store (built when missing).")
    ap.add_argument("--other", type=Path, help="Another checkout to compare with (e.g. /work/main).")
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--out", type=Path, default=HERE / "results" / "viz_first.json")
    args = ap.parse_args()
    if not Path(CHROMIUM).exists():
        sys.exit(f"bench_viz_first: error: {CHROMIUM} is missing (apt-get install -y chromium)")
    if not args.demo_store.exists():
        subprocess.run(
            [
                sys.executable,
                "-c",
                "from aikg.cli import main; main()",
                "demo",
                "--no-serve",
                "--store",
                str(args.demo_store),
            ],
            cwd=REPO,
            env=_env(REPO),
            check=True,
        )
    from playwright.sync_api import sync_playwright

    report = {
        "note": "ready = drawn and answering (aikg.state.ready), median of repeats; 5k total adds "
        "build_view + render (server) to the browser time",
        "runs": [],
    }
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        for checkout in [REPO] + ([args.other] if args.other else []):
            row = measure(checkout.resolve(), args.demo_store, browser, args.repeat, Path(tmp))
            report["runs"].append(row)
            print(json.dumps(row))
        browser.close()
    if args.other:
        ours, other = report["runs"]
        report["ratio_to_other"] = {
            "demo_graph": round(ours["demo_graph"]["ready_ms"] / other["demo_graph"]["ready_ms"], 2),
            "synthetic_5k": round(ours["synthetic_5k"]["total_ms"] / other["synthetic_5k"]["total_ms"], 2),
        }
        print(json.dumps(report["ratio_to_other"]))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
