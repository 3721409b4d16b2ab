"""The SPARQL editor of /query (vendored Yasgui) in real headless Chromium.

The server is a real process over the sample store (tests/browser/sample.py). Every test
also checks that the page asked nothing of any other server: the editor's prefixes and
terms come with the page, and the conftest aborts and records any foreign request.
"""

from __future__ import annotations

import pytest

from kg.namespaces import ENTITY, ONTOLOGY
from tests.browser import sample
from tests.browser.conftest import ARTIFACTS, wait_for

pytestmark = [pytest.mark.browser, pytest.mark.server]

INVESTORS = """PREFIX aikg: <https://w3id.org/aikg/ontology#>
SELECT ?investor ?target WHERE { ?investor aikg:investsIn ?target } ORDER BY ?investor"""


def open_editor(watched, server):
    w = watched(server.url)
    # A CSP violation is logged with where it came from, which the browser's own note omits.
    w.page.add_init_script(
        "document.addEventListener('securitypolicyviolation', e => console.error('CSPV', e.violatedDirective, e.sample, e.sourceFile, e.lineNumber, e.columnNumber))"
    )
    w.page.goto(server.url + "/query")
    wait_for(w.page, "window.aikgEditor && document.querySelector('#editor .CodeMirror') !== null")
    return w


def set_query(page, text: str) -> None:
    page.evaluate("text => aikgEditor.yasqe.setValue(text)", text)


def type_fresh(page, text: str) -> None:
    """Empty the editor and type ``text`` into it key by key, as a person would."""
    set_query(page, "")
    page.click("#editor .CodeMirror")
    page.keyboard.type(text)


def hints(page, typed: str) -> list[str]:
    """Return the completions on screen once they all fit what was ``typed`` (they follow the keys)."""
    wait_for(
        page,
        "(() => { const li = [...document.querySelectorAll('.CodeMirror-hints li')];"
        f" return li.length > 0 && li.every(x => x.textContent.startsWith({typed!r})); }})()",
        10,
    )
    return page.eval_on_selector_all(".CodeMirror-hints li", "items => items.map(li => li.textContent)")


def table_cells(page) -> list[dict]:
    return page.eval_on_selector_all(
        "#results table.dataTable tbody td a.iri",
        "links => links.map(a => ({text: a.textContent, title: a.title, href: a.getAttribute('href')}))",
    )


def clean(w, server) -> None:
    """No foreign request, no dialog, no console error but the browser's own note of a 400."""
    assert w.foreign(server.url) == []
    assert w.dialogs == []
    assert [e for e in w.errors if "status of 400" not in e] == []


def test_prefix_and_aikg_terms_autocomplete_from_the_page(watched, graph_server):
    w = open_editor(watched, graph_server)
    page = w.page
    type_fresh(page, "PREFIX a")
    offered = hints(page, "a")
    assert f"aikg: <{ONTOLOGY}>" in offered and len(offered) > 1
    page.keyboard.press("Enter")
    assert page.evaluate("aikgEditor.yasqe.getValue()") == f"PREFIX aikg: <{ONTOLOGY}>"
    # In the body, "aikg:" declares the prefix by itself and offers the ontology's terms.
    type_fresh(page, "SELECT * WHERE { ?s aikg:inv")
    assert hints(page, "aikg:inv") == ["aikg:inverseMatch", "aikg:investsIn"]
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    assert page.evaluate("aikgEditor.yasqe.getValue()") == (
        f"PREFIX aikg: <{ONTOLOGY}>\nSELECT * WHERE {{ ?s aikg:investsIn"
    )
    # Keywords are highlighted: CodeMirror's SPARQL mode gives them their own class.
    assert page.locator("#editor .CodeMirror-line .cm-keyword", has_text="SELECT").count() == 1
    clean(w, graph_server)


def test_a_malformed_query_shows_line_and_column_beside_the_editor(watched, graph_server):
    w = open_editor(watched, graph_server)
    page = w.page
    set_query(page, INVESTORS)
    page.click("#run")
    wait_for(page, "document.querySelectorAll('#results table.dataTable tbody tr').length > 0")
    broken = 'SELECT ?x WHERE {\n  ?x <http://www.w3.org/2000/01/rdf-schema#label> "Zoë 😀" . ?x foo:bar ?y\n}'
    set_query(page, broken)
    page.click("#run")
    wait_for(page, "!document.getElementById('query-error').hidden")
    message = page.text_content("#query-error p.error")
    assert message == "400 · line 2, column 64: unknown prefix `foo:`; declare it with PREFIX foo: <…>"
    shown, caret = page.text_content("#query-error pre.pointer").split("\n")
    assert shown == broken.split("\n")[1] and caret == " " * 64 + "^"
    # The message sits right under the editor, the old table is gone.
    box = page.locator("#query-error").bounding_box()
    editor = page.locator("#editor").bounding_box()
    assert 0 <= box["y"] - (editor["y"] + editor["height"]) < 40
    assert page.locator("#results table").count() == 0
    # The spot is marked in the editor: the 'f' of foo:bar, after a character outside the BMP.
    assert page.text_content("#editor .sparql-error-at") == "f"
    page.click("#query-error button.goto")
    assert page.evaluate("aikgEditor.yasqe.getSelection()") == "f"
    # CodeMirror counts UTF-16 units: the emoji is two of them, the server counts it as one.
    assert page.evaluate("[aikgEditor.yasqe.getCursor('from').line, aikgEditor.yasqe.getCursor('from').ch]") == [1, 64]
    # Editing clears the mark; a good run clears the message.
    set_query(page, "ASK { ?s ?p ?o }")
    assert page.locator("#editor .sparql-error-at").count() == 0
    page.click("#run")
    wait_for(page, "document.querySelector('#results .booleanResult') !== null")
    assert page.text_content("#results .booleanResult") == "True"
    assert page.evaluate("document.getElementById('query-error').hidden") is True
    clean(w, graph_server)


def test_a_result_table_shows_labels_with_the_iri_on_hover(watched, graph_server):
    w = open_editor(watched, graph_server)
    page = w.page
    set_query(page, INVESTORS)
    page.click("#editor .CodeMirror")
    page.keyboard.press("Control+Enter")  # runs it like the button
    wait_for(page, "document.querySelectorAll('#results table.dataTable tbody tr').length > 0")
    cells = table_cells(page)
    microsoft = next(c for c in cells if c["text"] == "Microsoft")
    assert microsoft == {"text": "Microsoft", "title": ENTITY + sample.MSFT.slug, "href": "/entity/" + sample.MSFT.slug}
    assert {"Microsoft", "OpenAI", "Amazon", "Anthropic"} <= {c["text"] for c in cells}
    assert not any(c["text"].startswith(("ent:", "<", "http")) for c in cells)
    page.hover("#results a.iri >> text=Microsoft")
    assert page.get_attribute("#results a.iri >> text=Microsoft", "title") == ENTITY + sample.MSFT.slug
    assert page.text_content("#status").startswith(f"{len(cells) // 2} rows")
    # A hostile name is a label like any other: shown as text, never run.
    set_query(page, f"SELECT ?e WHERE {{ VALUES ?e {{ <{ENTITY}{sample.XSS.slug}> }} }}")
    page.click("#run")
    wait_for(page, "document.querySelectorAll('#results table.dataTable tbody a.iri').length === 1")
    assert page.text_content("#results tbody a.iri") == sample.XSS.name
    assert page.locator("#results img").count() == 0
    # The raw response is one click away.
    page.click("#results .yasr_btn.select_response")
    wait_for(page, "document.querySelector('#results .CodeMirror') !== null")
    assert '"bindings"' in page.text_content("#results .CodeMirror")
    clean(w, graph_server)


def test_a_new_run_clears_the_old_result_before_the_new_one_arrives(watched, graph_server):
    w = open_editor(watched, graph_server)
    page = w.page
    set_query(page, INVESTORS)
    page.click("#run")
    wait_for(page, "document.querySelectorAll('#results table.dataTable tbody tr').length > 0")
    held = []
    page.route("**/sparql?*", lambda route: held.append(route))
    set_query(
        page, "SELECT ?label WHERE { ?e <http://www.w3.org/2000/01/rdf-schema#label> ?label } ORDER BY ?label LIMIT 2"
    )
    page.click("#run")
    wait_for(page, "document.getElementById('status').textContent === 'Running…'")
    # The answer is held back: the old table must already be gone.
    assert page.locator("#results table").count() == 0
    assert page.text_content("#results") == ""
    assert len(held) == 1
    held[0].continue_()
    page.unroute("**/sparql?*")
    wait_for(page, "document.querySelectorAll('#results table.dataTable tbody tr').length === 2")
    assert page.locator("#results th", has_text="label").count() == 1
    assert page.locator("#results th", has_text="investor").count() == 0
    clean(w, graph_server)


def test_named_examples_and_screenshots(watched, graph_server):
    w = open_editor(watched, graph_server)
    page = w.page
    titles = page.eval_on_selector_all("#named option", "o => o.map(x => x.textContent)")
    assert len(titles) > 3 and titles[0] == "— write your own —"
    page.select_option("#named", "investors-of")
    assert "investsIn" in page.evaluate("aikgEditor.yasqe.getValue()")
    page.fill("input[data-param=entity]", "OpenAI")
    page.click("#run")
    wait_for(page, "document.querySelector('#results a.iri[href=\"/entity/microsoft\"]') !== null")
    assert page.text_content("#results a.iri[href='/entity/microsoft']") == "Microsoft"
    ARTIFACTS.mkdir(exist_ok=True)
    for width, height in ((1280, 800), (390, 844)):
        page.set_viewport_size({"width": width, "height": height})
        page.evaluate("aikgEditor.yasqe.refresh()")
        page.screenshot(path=str(ARTIFACTS / f"query-{width}x{height}.png"), full_page=True)
        # Nothing wider than the screen: a wide table scrolls inside its own box.
        assert page.evaluate("document.querySelector('#editor .CodeMirror').getBoundingClientRect().right") <= width
        assert page.evaluate("document.documentElement.scrollWidth") <= width
    clean(w, graph_server)


def test_a_chart_view_draws_a_number_column_with_labels(watched, graph_server):
    w = open_editor(watched, graph_server)
    page = w.page
    set_query(
        page,
        """PREFIX aikg: <https://w3id.org/aikg/ontology#>
SELECT ?org (COUNT(?x) AS ?n) WHERE { ?org aikg:investsIn ?x } GROUP BY ?org ORDER BY DESC(?n) ?org""",
    )
    page.click("#run")
    wait_for(page, "document.querySelectorAll('#results table.dataTable tbody tr').length > 0")
    rows = page.eval_on_selector_all("#results table.dataTable tbody tr", "trs => trs.length")
    page.click("#results .yasr_btn.select_chart")
    wait_for(page, "document.querySelector('#results svg.aikg-chart') !== null")
    bars = page.eval_on_selector_all("#results svg.aikg-chart rect.bar", "rs => rs.map(r => +r.getAttribute('width'))")
    values = page.eval_on_selector_all(
        "#results svg.aikg-chart > text:not([text-anchor])", "ts => ts.map(t => +t.textContent)"
    )
    names = page.eval_on_selector_all(
        "#results svg.aikg-chart > text[text-anchor=end]", "ts => ts.map(t => t.textContent)"
    )
    assert len(bars) == len(values) == len(names) == rows
    assert max(bars) == 420 and all(abs(b - 420 * v / max(values)) <= 1 for b, v in zip(bars, values))
    assert "Microsoft" in names and not any(n.startswith("http") for n in names)  # labels, not IRIs
    # An answer with no number column has no chart to offer.
    set_query(page, INVESTORS)
    page.click("#run")
    wait_for(page, "document.querySelectorAll('#results table.dataTable tbody tr').length > 0")
    assert page.evaluate("aikgEditor.yasr.plugins.chart.canHandleResults()") is False
    clean(w, graph_server)
