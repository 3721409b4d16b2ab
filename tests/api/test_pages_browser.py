"""The SPARQL editor and an entity page in headless Chromium against a real server.

The browser is the session-wide ``chromium`` fixture (tests/conftest.py): Playwright's
sync API allows one instance per thread, so every suite shares it.
"""

from __future__ import annotations

import pytest

from tests.browser.conftest import open_watched, wait_for

pytestmark = [pytest.mark.browser, pytest.mark.server]


def test_query_page_runs_a_query_and_renders_a_table(server, chromium):
    def check(browser) -> None:
        w = open_watched(browser, server.url)
        page = w.page
        page.goto(server.url + "/query")
        page.fill("#query", "PREFIX aikg: <https://w3id.org/aikg/ontology#> "
                            "SELECT ?who ?label WHERE { ?who aikg:investsIn ?x ; "
                            "<http://www.w3.org/2000/01/rdf-schema#label> ?label } ORDER BY ?label")
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
        # A syntax error shows the parser's message.
        page.fill("#query", "SELECT * WHERE {")
        page.click("button[type=submit]")
        wait_for(page, "document.querySelector('#results .error') !== null")
        assert "400" in page.text_content("#results .error")
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
