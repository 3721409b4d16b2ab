"""The SPARQL editor and an entity page in headless Chromium against a real server.

The browser is the session-wide ``chromium`` fixture (tests/conftest.py): Playwright's
sync API allows one instance per thread, so every suite shares it.
"""

from __future__ import annotations

import pytest

from tests.browser.conftest import open_watched, wait_for

pytestmark = [pytest.mark.browser, pytest.mark.server]


def _editor(page, url: str) -> None:
    page.goto(url + "/query")
    wait_for(page, "window.aikgEditor && document.querySelector('#editor .CodeMirror') !== null")


def _write(page, text: str) -> None:
    page.evaluate("text => aikgEditor.yasqe.setValue(text)", text)


def test_query_page_runs_a_query_and_renders_a_table(server, chromium):
    def check(browser) -> None:
        w = open_watched(browser, server.url)
        page = w.page
        _editor(page, server.url)
        _write(
            page,
            "PREFIX aikg: <https://w3id.org/aikg/ontology#> "
            "SELECT ?who ?label WHERE { ?who aikg:investsIn ?x ; "
            "<http://www.w3.org/2000/01/rdf-schema#label> ?label } ORDER BY ?label",
        )
        page.click("button[type=submit]")
        wait_for(page, "document.querySelectorAll('#results tbody tr').length > 0")
        cells = page.eval_on_selector_all("#results tbody td", "tds => tds.map(td => td.textContent)")
        assert "Amazon" in cells and "Microsoft" in cells
        assert page.get_attribute("#results tbody a", "href").startswith("/entity/")
        # A named query with a parameter goes through /queries/{name}/results.
        page.select_option("#named", "investors-of")
        page.fill("input[data-param=entity]", "OpenAI")
        page.click("button[type=submit]")
        wait_for(page, "document.querySelector('#results a[href=\"/entity/microsoft\"]') !== null")
        # A syntax error shows a readable message next to the editor (see the test below).
        _write(page, "SELECT * WHERE {")
        page.click("button[type=submit]")
        wait_for(page, "!document.getElementById('query-error').hidden")
        assert "400" in page.text_content("#query-error .error")
        assert "never closed" in page.text_content("#query-error .error")
        # The browser logs the 400 itself; any other console error is the page's fault.
        assert [e for e in w.errors if "status of 400" not in e] == []
        assert w.foreign(server.url) == [] and w.dialogs == []
        page.context.close()

    check(chromium)


def test_entity_page_with_hostile_label_runs_no_script(server, chromium):
    def check(browser) -> None:
        w = open_watched(browser, server.url)
        w.page.goto(server.url + "/entity/script-alert-1-script-labs")
        assert "<script>alert(1)</script> Labs" in w.page.text_content("h1")
        assert w.dialogs == [] and w.errors == [] and w.foreign(server.url) == []
        w.page.context.close()

    check(chromium)


def test_query_page_shows_a_readable_syntax_error_next_to_the_editor(server, chromium):
    def check(browser) -> None:
        w = open_watched(browser, server.url)
        page = w.page
        _editor(page, server.url)
        # A run that works first: its table must go when the next run fails.
        _write(page, "SELECT ?s WHERE { ?s ?p ?o } LIMIT 3")
        page.click("button[type=submit]")
        wait_for(page, "document.querySelectorAll('#results tbody tr').length > 0")
        broken = 'SELECT ?x WHERE {\n  ?x <http://www.w3.org/2000/01/rdf-schema#label> "Zoë 😀" . ?x foo:bar ?y\n}'
        _write(page, broken)
        page.click("button[type=submit]")
        wait_for(page, "!document.getElementById('query-error').hidden")
        message = page.text_content("#query-error p.error")
        assert "line 2, column 64: unknown prefix `foo:`; declare it with PREFIX foo: <…>" in message
        assert "..=" not in message and "Prefix not found" not in message
        shown, caret = page.text_content("#query-error pre.pointer").split("\n")
        assert shown == broken.split("\n")[1] and caret == " " * 64 + "^"
        # The error sits by the editor, the old table is gone, the parser's words are one click away.
        assert page.evaluate("document.getElementById('query').nextElementSibling.id") == "query-error"
        assert page.eval_on_selector_all("#results table", "t => t.length") == 0
        assert not page.is_visible("#query-error details pre")
        page.click("#query-error details summary")
        assert page.text_content("#query-error details pre").startswith("error at 2:")
        # The button selects the mistake, counting 😀 as one character like the server.
        page.click("#query-error button.goto")
        cursor = page.evaluate(
            "(() => { const c = aikgEditor.yasqe.getCursor('from'); return "
            "aikgEditor.yasqe.getLine(c.line).slice(c.ch, c.ch + 7); })()"
        )
        assert cursor == "foo:bar"
        # A good run afterwards clears the error.
        _write(page, "ASK { ?s ?p ?o }")
        page.click("button[type=submit]")
        wait_for(page, "document.getElementById('status').textContent.includes('Answer: true')")
        assert page.evaluate("document.getElementById('query-error').hidden") is True
        assert [e for e in w.errors if "status of 400" not in e] == []
        assert w.foreign(server.url) == [] and w.dialogs == []
        page.context.close()

    check(chromium)
