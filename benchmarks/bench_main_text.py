"""Main text of article pages: trafilatura against the readers' own fallback (page structure).

Usage: python benchmarks/bench_main_text.py

Each bundled example article is set in three page layouts a news site uses (the body in
an <article>; in classed <div>s with no semantic tags; paragraphs mixed with an ad slot
and a share bar), around furniture whose classes our fallback's word list does not name
(a top bar of links, "more coverage", "trending now", a notice). Each extractor's output
is scored against the article's own text by word counts: precision (how much of the
output is the article) and recall (how much of the article is in the output). On the 18
examples x 3 layouts: trafilatura P 0.973 R 1.000, the fallback P 0.902 R 1.000 (the
headline counts against both). So ``ingest.readers`` asks trafilatura first and uses the
fallback only when trafilatura finds no main text. Not part of the test pass/fail.
"""

from __future__ import annotations

import html as H
import re
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import trafilatura  # noqa: E402

from ingest.readers import _fallback_main_text, _parse_html  # noqa: E402
from tests.live.site import example_text  # noqa: E402


def page(title, body, style):
    paras = "\n".join(f"<p>{H.escape(p)}</p>" for p in body.split("\n\n"))
    furniture_top = (
        "<div class='notice'>We use cookies to improve your experience. Accept all cookies.</div>"
        "<div class='topbar'><a href='/'>Home</a> <a href='/tech'>Technology</a> <a href='/markets'>Markets</a></div>"
    )
    related = (
        "<div class='more-coverage'><h3>Related</h3><ul><li><a href='/x'>Nvidia shares fall as Intel partners with Apple</a></li>"
        "<li><a href='/y'>Amazon invests in a robotics startup</a></li></ul></div>"
    )
    side = "<div class='trending-now'><p>Most read: Google acquires a chip designer for $2bn</p></div>"
    foot = "<footer><p>Copyright 2024 Example Wire. All rights reserved. Subscribe to our newsletter.</p></footer>"
    if style == "article":
        main = f"<article><h1>{H.escape(title)}</h1>{paras}{related}</article>"
    elif style == "divs":  # no <article>: classes only
        main = f"<div class='story'><h1>{H.escape(title)}</h1><div class='story-body'>{paras}</div>{related}</div>"
    else:  # paragraphs split by ads and a share bar, inline in a generic div
        ps = [f"<p>{H.escape(p)}</p>" for p in body.split("\n\n")]
        mixed = ""
        for i, p in enumerate(ps):
            mixed += p
            if i == 1:
                mixed += (
                    "<div class='slot-300'>Advertisement</div><div class='tools'>Share on X Share on LinkedIn</div>"
                )
        main = f"<div id='content'><h1>{H.escape(title)}</h1>{mixed}</div>{related}"
    return f"<!doctype html><html><head><title>{H.escape(title)}</title></head><body>{furniture_top}<div class='wrap'>{main}{side}</div>{foot}</body></html>"


def words(t):
    return re.findall(r"\w+", t.lower())


def score(got, want):
    g, w = Counter(words(got)), Counter(words(want))
    inter = sum((g & w).values())
    p = inter / max(1, sum(g.values()))
    r = inter / max(1, sum(w.values()))
    return p, r


def main() -> None:
    res = {"trafilatura": [], "ours": []}
    times = {"trafilatura": 0.0, "ours": 0.0}
    for f in sorted((ROOT / "examples" / "articles").glob("*.md")):
        title, body = example_text(f.name)
        for style in ("article", "divs", "inline"):
            html = page(title, body, style)
            t = time.perf_counter()
            a = (
                trafilatura.extract(
                    html,
                    favor_precision=True,
                    include_comments=False,
                    include_tables=True,
                    output_format="txt",
                    deduplicate=False,
                )
                or ""
            )
            times["trafilatura"] += time.perf_counter() - t
            t = time.perf_counter()
            b = _fallback_main_text(_parse_html(html))
            times["ours"] += time.perf_counter() - t
            res["trafilatura"].append((style, *score(a, body)))
            res["ours"].append((style, *score(b, body)))
    for k, rows in res.items():
        for style in ("article", "divs", "inline"):
            sel = [r for r in rows if r[0] == style]
            print(k, style, "P=%.3f R=%.3f" % (statistics.mean(r[1] for r in sel), statistics.mean(r[2] for r in sel)))
        print(
            k,
            "all",
            "P=%.3f R=%.3f" % (statistics.mean(r[1] for r in rows), statistics.mean(r[2] for r in rows)),
            "time %.2fs for %d pages" % (times[k], len(rows)),
        )


if __name__ == "__main__":
    main()
