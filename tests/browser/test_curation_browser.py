"""/curation in headless Chromium: hostile names stay text, and the links lead to the evidence."""

from __future__ import annotations

import pytest

from tests.browser.conftest import open_watched
from tests.kg.test_suggest import EVIL, EXTRACTIONS, MIRA, build_store


@pytest.fixture(scope="module")
def curation_server(tmp_path_factory):
    from tests.api.conftest import start_server, stop_server

    srv = start_server(build_store(tmp_path_factory.mktemp("curation-browser") / "store"))
    yield srv
    stop_server(srv)


@pytest.mark.browser
@pytest.mark.server
def test_hostile_names_are_shown_as_text_and_evidence_links_open_the_article(curation_server, chromium):
    w = open_watched(chromium, curation_server.url)
    page = w.page
    try:
        page.goto(curation_server.url + "/curation?limit=1000&low_confidence=0.99")
        assert w.dialogs == [] and w.errors == []
        assert page.evaluate("document.querySelectorAll('main script').length") == 0
        names = page.locator("table.suspects a.entity").all_inner_texts()
        assert EVIL.name in names and MIRA.name in names
        row = page.locator("table.suspects tbody tr", has_text="Mira Castell bought Tallis Foundry outright.")
        row.locator("ul.evidence a").first.click()
        page.wait_for_load_state()
        assert page.url.endswith(f"/article/{EXTRACTIONS[4].article.id}?min_confidence=0")
        assert "Mira Castell bought Tallis Foundry outright." in page.locator("aside.triples").inner_text()
        assert w.foreign(curation_server.url) == [] and w.dialogs == []
    finally:
        page.context.close()
