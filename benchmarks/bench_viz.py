"""Time to a drawn, interactive network page, for 500, 2,000 and 5,000 nodes.

For each size a synthetic industry-like graph (preferential attachment, a few hubs, a
long tail; 13 predicates; 1-3 evidence sentences per edge) goes through the same path as
``aikg viz``: ``build_view`` (PageRank, selection, server layout above 300 nodes) and
``render_graph_page`` (standalone). The page is then opened in headless Chromium and timed until it is drawn
and answers (``aikg.state.ready``: the first frame after physics settled, or the first
frame when the layout came from the server), then a click on the biggest node is timed
until its evidence panel shows, and an as-of slider step until the network is updated.

Baseline in the same run: the same page with the layout left to vis-network's physics in
the browser (what a plain pyvis page does), timed until its stabilization is over.

Usage: python benchmarks/bench_viz.py [--sizes 500 2000 5000] [--baseline-sizes 500 2000 5000]
Writes benchmarks/results/viz.json. Needs /usr/bin/chromium.
"""

from __future__ import annotations

import argparse
import json
import platform
import random
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

import networkx as nx

from kg.analytics import FAMILIES
from kg.model import ENTITY_TYPES, PREDICATES, SYMMETRIC_PREDICATES
from kg.namespaces import ENTITY
from kg.viz import build_view

try:
    from api.render import render_graph_page as render_html
except ImportError:  # an older checkout (bench_viz_first.py times one), where kg.viz rendered
    from kg.viz import render_html  # type: ignore[attr-defined,no-redef]

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


def synthetic_graph(n: int, seed: int = 11) -> nx.MultiDiGraph:
    """Return a graph shaped like :func:`kg.analytics.to_networkx` output, ~2 edges per node."""
    rnd = random.Random(seed)
    skeleton = nx.barabasi_albert_graph(n, 2, seed=seed)
    G = nx.MultiDiGraph()
    for i in skeleton:
        t = rnd.choices(ENTITY_TYPES, weights=(6, 2, 1, 1))[0]
        G.add_node(
            f"{ENTITY}e{i}",
            label=f"{t} {i}",
            type=t,
            wikidata=f"Q{1000 + i}" if i % 3 == 0 else None,
            aliases=[f"Alias {i}"] if i % 5 == 0 else [],
        )
    start = date(2018, 1, 1)
    for u, v in skeleton.edges():
        p = rnd.choice(PREDICATES)
        first = start + timedelta(days=rnd.randrange(2500))
        G.add_edge(
            f"{ENTITY}e{u}",
            f"{ENTITY}e{v}",
            key=p,
            predicate=p,
            family=FAMILIES[p],
            symmetric=p in SYMMETRIC_PREDICATES,
            sources=min(int(rnd.paretovariate(1.5)), 12),
            mentions=1,
            first=first.isoformat(),
            last=(first + timedelta(days=rnd.randrange(400))).isoformat(),
            confidence=round(rnd.uniform(0.5, 1.0), 2),
            hedged=rnd.random() < 0.1,
        )
    return G


def add_evidence(view, seed: int = 5) -> None:
    """Give every edge 1-3 sentences, as a store would, so page sizes are realistic."""
    rnd = random.Random(seed)
    for e in view.edges:
        e["evidence"] = [
            {
                "sentence": f"{e['from'][-6:]} and {e['to'][-6:]} signed an agreement covering cloud capacity, "
                f"research staff and model licensing, people familiar with the talks said ({k}).",
                "title": f"Story {rnd.randrange(100000)}",
                "url": f"https://news.example.org/{rnd.randrange(10**6)}",
                "date": e["first"],
                "confidence": e["confidence"],
                "hedged": e["hedged"],
            }
            for k in range(rnd.randint(1, 3))
        ]


def wait_for(page, condition: str, timeout_s: float) -> None:
    """Wait until a JS condition holds, polling inside the page.

    Playwright's ``wait_for_function`` re-evaluates its predicate with ``eval``, which
    the page's Content-Security-Policy (rightly) forbids; a function passed to
    ``evaluate`` is compiled by the debugger protocol instead.

    Raises:
        playwright Error: the condition did not hold within the timeout.
    """
    page.evaluate(
        """ms => new Promise((resolve, reject) => {
        const t0 = performance.now();
        (function check() {
            if (%s) resolve(true);
            else if (performance.now() - t0 > ms) reject(new Error("timed out"));
            else setTimeout(check, 10);
        })();
    })"""
        % condition,
        timeout_s * 1000,
    )


def time_page(browser, path: Path, timeout_s: float) -> dict:
    """Open a page and time it until ready, then one click and one slider step."""
    from playwright.sync_api import Error as PlaywrightError

    context = browser.new_context(viewport={"width": 1400, "height": 850})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    started = time.perf_counter()
    # "#all=1": every entity of the page drawn, not only the first view.
    page.goto(path.as_uri() + "#all=1", timeout=timeout_s * 1000)
    try:
        wait_for(page, "window.aikg && window.aikg.state.ready", timeout_s)
    except PlaywrightError:  # a page that never settles is a result, not a crash
        context.close()
        return {"ready_s": None, "timed_out_after_s": timeout_s}
    wall = time.perf_counter() - started
    in_page = page.evaluate("aikg.state.readyAt") / 1000
    top = page.evaluate("aikg.data.nodes[0].id")
    pos = page.evaluate("id => aikg.network.canvasToDOM(aikg.network.getPositions([id])[id])", top)
    box = page.locator("#network canvas").bounding_box()
    t0 = time.perf_counter()
    page.mouse.click(box["x"] + pos["x"], box["y"] + pos["y"])
    wait_for(page, "document.getElementById('panel').getAttribute('data-kind') === 'node'", timeout_s)
    click = time.perf_counter() - t0
    t0 = time.perf_counter()
    page.evaluate("""() => { const s = document.getElementById('asof');
        s.value = String(Math.floor(s.max / 2)); s.dispatchEvent(new Event('input')); }""")
    page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
    slider = time.perf_counter() - t0
    context.close()
    return {
        "ready_s": round(wall, 3),
        "ready_in_page_s": round(in_page, 3),
        "click_to_panel_s": round(click, 3),
        "as_of_step_s": round(slider, 3),
        "errors": errors,
    }


def run(sizes: list[int], baseline_sizes: list[int], timeout_s: float) -> dict:
    from playwright.sync_api import sync_playwright

    results = []
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        # A first page warms the browser (process start, JIT), so sizes compare fairly.
        G = synthetic_graph(100)
        warm = Path(tmp) / "warm.html"
        warm.write_text(render_html(build_view(G, limit=100)), encoding="utf-8")
        time_page(browser, warm, timeout_s)
        for n in sizes:
            G = synthetic_graph(n)
            t0 = time.perf_counter()
            view = build_view(G, limit=n)
            build_s = time.perf_counter() - t0
            add_evidence(view)
            t0 = time.perf_counter()
            page = render_html(view, title=f"bench {n}")
            render_s = time.perf_counter() - t0
            path = Path(tmp) / f"g{n}.html"
            path.write_text(page, encoding="utf-8")
            ours = time_page(browser, path, timeout_s)
            row = {
                "nodes": n,
                "edges": len(view.edges),
                "server_layout": not view.physics,
                "build_view_s": round(build_s, 3),
                "render_html_s": round(render_s, 3),
                "page_mb": round(len(page.encode()) / 1e6, 2),
                "page": ours,
            }
            if n in baseline_sizes:
                base_view = build_view(G, limit=n, layout_threshold=10**9)
                add_evidence(base_view)
                base_path = Path(tmp) / f"b{n}.html"
                base_path.write_text(render_html(base_view, title=f"baseline {n}"), encoding="utf-8")
                base = time_page(browser, base_path, timeout_s)
                row["baseline_browser_physics"] = base
                if ours["ready_s"] and base["ready_s"]:
                    total = ours["ready_s"] + build_s + render_s
                    row["speedup_vs_baseline"] = round(base["ready_s"] / total, 2)
            results.append(row)
            print(json.dumps(row))
        browser.close()
    return {
        "machine": {"python": platform.python_version(), "cpus": __import__("os").cpu_count()},
        "note": "ready = drawn and answering; totals for our pages add build_view + render_html "
        "(server) to the browser time; baseline = same page, layout by in-browser physics",
        "results": results,
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[500, 2000, 5000])
    ap.add_argument("--baseline-sizes", type=int, nargs="*", default=[500, 2000, 5000])
    ap.add_argument("--timeout", type=float, default=180.0, help="Seconds a page may take to be ready.")
    ap.add_argument("--out", default=str(Path(__file__).with_name("results") / "viz.json"))
    args = ap.parse_args()
    if not Path(CHROMIUM).exists():
        sys.exit(
            f"bench_viz: error: {CHROMIUM} is missing: install Debian's chromium with `make browser` "
            "(apt-get install -y chromium)"
        )
    report = run(args.sizes, args.baseline_sizes, args.timeout)
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
