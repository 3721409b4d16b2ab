"""axe-core on every reader page in headless Chromium: no serious or critical violation.

axe-core (the vendored release in tests/browser/vendor, made by scripts/vendor_axe.py) is
injected into each page of a real server process and run with the WCAG 2.0/2.1 A and AA
rules, at 1280x800 and at 390x844. A violation of impact "serious" or "critical" fails the
test; every violation found, whatever its impact, is written to
test-artifacts/axe-<page>.json. /graph has its own page work and is not covered here.

The pages' Content-Security-Policy allows scripts from the server only, so the injected
engine (an inline ``<script>``) would be refused: these contexts, and only these, are
opened with Playwright's ``bypass_csp``. Every request that leaves the server is still
aborted and fails the test.
"""

from __future__ import annotations

import importlib.util
import json
from datetime import date
from pathlib import Path

import pytest

from kg.loader import ingest
from kg.model import Article, Extraction, RelationMention
from kg.store import LocalStore
from tests.browser import sample
from tests.browser.conftest import ARTIFACTS, open_watched, wait_for

REPO = Path(__file__).resolve().parents[2]
VENDOR = REPO / "tests" / "browser" / "vendor"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
SIZES = ((1280, 800), (390, 844))
BLOCKING = ("serious", "critical")

S_PAST = "Nvidia sold its former stake in OpenAI last year."
PAST = Article(
    text=f"Chip news first. {S_PAST} More chip news after.",
    url="https://news.example/nvidia-sold",
    title="Nvidia leaves OpenAI",
    published=date(2024, 7, 1),
)
_start = PAST.text.index(S_PAST)
PAST_EX = Extraction(
    PAST,
    (sample.NVIDIA, sample.OPENAI),
    (
        RelationMention(
            sample.NVIDIA, "investsIn", sample.OPENAI, 0.9, S_PAST, _start, _start + len(S_PAST), ended=True
        ),
    ),
    "axe-test-1",
)
# The first sample articles and the ended one keep their whole text; the rest only their evidence.
WITH_TEXT = [ex for ex in sample.EXTRACTIONS[:3]] + [PAST_EX]
EXCERPTS = sample.EXTRACTIONS[3:]
BY_ID = {ex.article.id: ex for ex in WITH_TEXT + EXCERPTS}

# Page name -> path on the server; what to do on the page before the check is in _prepare.
PAGES = {
    "home": "/",
    "entity": f"/entity/{sample.MSFT.slug}",
    "entity-past": f"/entity/{sample.NVIDIA.slug}",
    "article-text": f"/article/{sample.EXTRACTIONS[0].article.id}",
    "article-excerpts": f"/article/{sample.EXTRACTIONS[3].article.id}",
    "search": "/search?q=micro",
    "search-empty": "/search?q=zzzz",
    "not-found": "/entity/no-such-entity",
    "query": "/query",
    "query-results": "/query",
    "query-error": "/query",
    "graph": "/graph",
    "ontology": "/ontology",
    "curation": "/curation",
}


def _vendor_script():
    spec = importlib.util.spec_from_file_location("vendor_axe", REPO / "scripts" / "vendor_axe.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_vendored_axe_matches_its_sha256sums_and_pinned_release():
    script = _vendor_script()
    assert script.check(VENDOR) == []
    listed = {row.split("  ", 1)[1] for row in (VENDOR / "SHA256SUMS").read_text().splitlines()}
    assert listed == {"axe.min.js", "LICENSE", "LICENSE-3RD-PARTY.txt"}
    assert (VENDOR / "axe.min.js").read_text(encoding="utf-8").startswith(f"/*! axe v{script.VERSION}\n")
    assert (VENDOR / "LICENSE").read_text(encoding="utf-8").startswith("Mozilla Public License, version 2.0")


def test_a_changed_axe_fails_the_check(tmp_path):
    copy = tmp_path / "vendor"
    copy.mkdir()
    for f in VENDOR.iterdir():
        (copy / f.name).write_bytes(f.read_bytes())
    js = copy / "axe.min.js"
    js.write_bytes(js.read_bytes().replace(b"color-contrast", b"colour-contrast", 1))
    assert _vendor_script().check(copy) == ["axe.min.js: sha256 differs from SHA256SUMS"]


@pytest.fixture(scope="module")
def axe_source() -> str:
    return (VENDOR / "axe.min.js").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def a11y_server(tmp_path_factory):
    from tests.api.conftest import start_server, stop_server

    path = tmp_path_factory.mktemp("a11y") / "store"
    with LocalStore(path) as store:
        ingest(store, [ex.article for ex in WITH_TEXT], lambda b: (BY_ID[a.id] for a in b), store_text=True)
        ingest(store, [ex.article for ex in EXCERPTS], lambda b: (BY_ID[a.id] for a in b))
    srv = start_server(path)
    yield srv
    stop_server(srv)


def run_axe(page, axe_source: str) -> list[dict]:
    """Inject axe-core into ``page`` (once) and return its WCAG A/AA violations, summarised."""
    if not page.evaluate("typeof window.axe === 'object'"):
        page.add_script_tag(content=axe_source)
    return page.evaluate(
        """async tags => {
        const r = await axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']});
        return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
            nodes: v.nodes.map(n => ({target: n.target.join(' '), html: n.html.slice(0, 200),
                                      summary: n.failureSummary}))}));
    }""",
        TAGS,
    )


def _prepare(name: str, page) -> None:
    """Bring a page into the state a reader sees it in: editor drawn, answers shown, lists open."""
    if name.startswith("query"):
        wait_for(page, "window.aikgEditor && document.querySelector('#editor .CodeMirror') !== null")
    if name == "query-results":
        page.click("#run")
        wait_for(page, "document.querySelectorAll('#results table.dataTable tbody tr').length > 0")
    if name == "query-error":
        page.evaluate("aikgEditor.yasqe.setValue(aikgEditor.yasqe.getValue() + '\\n}')")  # one brace too many
        page.click("#run")
        wait_for(page, "!document.getElementById('query-error').hidden")
    if name == "graph":
        wait_for(page, "document.body.getAttribute('data-ready') === '1'")
    if name.startswith("entity") or name == "ontology":
        page.eval_on_selector_all("details", "ds => ds.forEach(d => d.open = true)")
    if name.startswith("article"):
        page.click("li.triple button.pred:not([disabled])")
    if name == "curation":
        # The check means something only with rows in the table.
        assert page.locator("table.suspects tbody tr").count() > 0


def counts(violations: list[dict]) -> dict[str, int]:
    """Return the number of violations (rules) of each impact."""
    out: dict[str, int] = {}
    for v in violations:
        out[v["impact"]] = out.get(v["impact"], 0) + 1
    return out


@pytest.mark.browser
@pytest.mark.server
@pytest.mark.parametrize("name", list(PAGES))
def test_page_has_no_serious_accessibility_violation(name, a11y_server, chromium, axe_source):
    w = open_watched(chromium, a11y_server.url, bypass_csp=True)
    page = w.page
    try:
        page.goto(a11y_server.url + PAGES[name])
        _prepare(name, page)
        report = {}
        for width, height in SIZES:
            page.set_viewport_size({"width": width, "height": height})
            violations = run_axe(page, axe_source)
            report[f"{width}x{height}"] = {"counts": counts(violations), "violations": violations}
        ARTIFACTS.mkdir(exist_ok=True)
        (ARTIFACTS / f"axe-{name}.json").write_text(
            json.dumps({"page": PAGES[name], "axe": _vendor_script().VERSION, "tags": TAGS, **report}, indent=2)
        )
        assert w.foreign(a11y_server.url) == []
        blocking = {
            size: [
                (v["id"], v["impact"], [n["target"] for n in v["nodes"]])
                for v in r["violations"]
                if v["impact"] in BLOCKING
            ]
            for size, r in report.items()
        }
        assert blocking == {f"{w_}x{h}": [] for w_, h in SIZES}
    finally:
        page.context.close()


@pytest.mark.browser
def test_axe_finds_what_a_reader_would_miss(chromium, axe_source):
    """The check itself: unreadable grey text and a nameless field are reported as serious or worse."""
    w = open_watched(chromium, None, bypass_csp=True)
    page = w.page
    try:
        page.set_content(
            '<!doctype html><html lang="en"><head><title>bad</title></head><body><main>'
            '<p style="color:#ccc;background:#fff">faint words</p><input type="text">'
            "</main></body></html>"
        )
        found = {v["id"]: v["impact"] for v in run_axe(page, axe_source)}
        assert found.get("color-contrast") == "serious"
        assert found.get("label") == "critical"
    finally:
        page.context.close()
