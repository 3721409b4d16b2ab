"""The curator's buttons in headless Chromium, against a real `aikg serve` over a store on disk.

Signing in keeps the token in sessionStorage; a rejection from the entity page, a merge from
/curation and a rejection from the evidence panel of /graph change what the page and
/sparql's default graph show; a wrong token shows the server's refusal and changes nothing;
without a token there is no button at all.
"""

from __future__ import annotations

import re

import httpx
import pytest

from kg.derived import NOT_DERIVED
from kg.namespaces import ENTITY, ONTOLOGY, OWL
from tests.api.conftest import TOKEN
from tests.browser import sample
from tests.browser.conftest import ARTIFACTS, open_watched, wait_for, wait_ready

pytestmark = [pytest.mark.browser, pytest.mark.server]

CURATOR = "ada"
INVESTS = f"ASK {{ <{ENTITY}microsoft> <{ONTOLOGY}investsIn> <{ENTITY}openai> }}"
SUPPLIES = f"ASK {{ <{ENTITY}nvidia> <{ONTOLOGY}suppliesTo> <{ENTITY}microsoft> }}"
MERGED = f"ASK {{ <{ENTITY}microsoft-ai> <{OWL}sameAs> <{ENTITY}microsoft> }}"
# every quad but the time index's (derived data, which a curation removes)
EVERYTHING = "SELECT ?s ?p ?o ?g WHERE { { ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } " + NOT_DERIVED + " } }"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """`aikg serve` over the sample store, its token named "ada"."""
    from tests.api.conftest import start_server, stop_server

    store = sample.build_store(tmp_path_factory.mktemp("curate-pages") / "store")
    srv = start_server(store, command="aikg", AIKG_TOKEN=f"{CURATOR}:{TOKEN}")
    yield srv
    stop_server(srv)


def sparql(srv, query: str) -> dict:
    r = httpx.post(srv.sparql, data={"query": query}, headers={"Accept": "application/sparql-results+json"}, timeout=30)
    assert r.status_code == 200, r.text
    return r.json()


def ask(srv, query: str) -> bool:
    return sparql(srv, query)["boolean"]


def snapshot(srv) -> list[tuple]:
    rows = sparql(srv, EVERYTHING)["results"]["bindings"]
    return sorted(tuple(sorted((k, v["value"]) for k, v in row.items())) for row in rows)


def sign_in(page, token: str) -> None:
    if page.locator("#curator").get_attribute("open") is None:
        page.click("#curator summary")
    page.evaluate("document.getElementById('curator-status').textContent = ''")
    page.fill("#curator-token", token)
    page.click("#curator-signin button[type=submit]")
    wait_for(page, "document.getElementById('curator-status').textContent !== ''")


def test_without_a_token_no_button_is_shown(server, chromium):
    w = open_watched(chromium, server.url)
    page = w.page
    try:
        for path in (f"/entity/{sample.MSFT.slug}", "/curation"):
            page.goto(server.url + path)
            assert page.locator("#curator summary").inner_text() == "Curator sign-in"
            page.click("#curator summary")
            assert page.locator("#curator-token").is_visible() and not page.locator("#curator-who").is_visible()
            assert page.locator("button.curate").count() == 0
            assert page.locator("form.curate-entity").count() == 0
        page.goto(server.url + "/graph")
        wait_ready(page)
        page.evaluate("() => aikg.showEdge(aikg.data.edges[0].id)")
        assert page.locator("#panel-body h2").count() == 1
        assert page.locator("#panel button.curate").count() == 0
        assert w.errors == [] and w.foreign(server.url) == []
    finally:
        page.context.close()


def test_reject_from_the_entity_page(server, chromium):
    w = open_watched(chromium, server.url)
    page = w.page
    try:
        assert ask(server, INVESTS)
        page.goto(f"{server.url}/entity/{sample.MSFT.slug}")
        sign_in(page, TOKEN)
        assert page.locator("#curator-status").inner_text() == f"Signed in as {CURATOR} for this browser session."
        assert page.locator("#curator-who").is_visible() and not page.locator("#curator-signin").is_visible()
        assert page.evaluate("sessionStorage.getItem('aikg-curator-token')") == TOKEN
        row = page.locator("li.row", has=page.locator("a.entity", has_text="OpenAI"))
        row.get_by_role("button", name="Reject Microsoft investsIn OpenAI").click()
        dialog = page.locator("dialog#curate-dialog")
        assert dialog.is_visible()
        assert (
            dialog.locator("#curate-dialog-text")
            .inner_text()
            .startswith(
                "Reject: Microsoft investsIn OpenAI (2 statements from 2 articles). Readers will no longer see it"
            )
        )
        # Keyboard: the confirmation has the focus, and Escape closes it without a change.
        assert page.evaluate("document.activeElement.id") == "curate-confirm"
        page.keyboard.press("Escape")
        assert not dialog.is_visible() and ask(server, INVESTS)
        row.get_by_role("button", name="Reject Microsoft investsIn OpenAI").click()
        page.fill("#curate-reason", "a <b>bold</b> claim")
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "curate-entity-confirm.png"))
        with page.expect_navigation():
            page.click("#curate-confirm")
        status = page.locator("#curator-status").inner_text()
        assert status.startswith("Done: rejected Microsoft investsIn OpenAI (Reject ") and f"by {CURATOR}" in status
        assert not ask(server, INVESTS)  # gone from /sparql's default graph
        current = page.locator("section.group li.row", has=page.locator("a.entity", has_text="OpenAI"))
        assert current.count() == 0
        rejected = page.locator("details#rejected")
        assert rejected.locator("summary").inner_text() == "Rejected (1)"
        rejected.locator("summary").click()
        text = rejected.locator("li.row").inner_text()
        assert re.search(
            rf"Rejected by {CURATOR} on \d{{4}}-\d\d-\d\d: “a <b>bold</b> claim” · 2 statements "
            r"from 2 articles · 0 new sources since",
            text,
        ), text
        assert rejected.locator("b").count() == 0  # the reason is text, not markup
        page.screenshot(path=str(ARTIFACTS / "curate-entity-rejected.png"), full_page=True)
        # The token went in a header only: no URL, no cookie.
        assert not any(TOKEN in u for u in w.requests) and page.evaluate("document.cookie") == ""
        assert w.errors == [] and w.dialogs == [] and w.foreign(server.url) == []
    finally:
        page.context.close()


def test_merge_from_the_curation_page(server, chromium):
    w = open_watched(chromium, server.url)
    page = w.page
    try:
        assert not ask(server, MERGED)
        page.goto(f"{server.url}/curation")
        sign_in(page, TOKEN)
        button = page.get_by_role("button", name="Merge Microsoft AI into Microsoft")
        button.focus()
        page.keyboard.press("Enter")  # reachable and usable from the keyboard
        text = page.locator("#curate-dialog-text").inner_text()
        assert text.startswith(
            "Merge: Microsoft AI into Microsoft (both Organization). Microsoft AI is then shown as Microsoft everywhere"
        )
        with page.expect_navigation():
            page.keyboard.press("Enter")  # the focus is on Confirm
        assert page.locator("#curator-status").inner_text().startswith("Done: merged Microsoft AI into Microsoft")
        assert ask(server, MERGED)
        page.goto(f"{server.url}/entity/microsoft-ai")
        assert page.url == f"{server.url}/entity/microsoft"
        assert "Microsoft AI" in page.locator("dl.facts").inner_text()  # now an alias
        assert w.errors == [] and w.foreign(server.url) == []
    finally:
        page.context.close()


def test_a_wrong_token_shows_the_refusal_and_changes_nothing(server, chromium):
    w = open_watched(chromium, server.url)
    page = w.page
    try:
        before = snapshot(server)
        page.goto(f"{server.url}/entity/{sample.NVIDIA.slug}")
        sign_in(page, "not-the-token")
        assert (
            page.locator("#curator-status").inner_text()
            == "The server refused this token (401); you are not signed in."
        )
        assert page.locator("button.curate").count() == 0
        assert page.evaluate("sessionStorage.getItem('aikg-curator-token')") is None
        # A token that stops being right between sign-in and the action: the refusal, in one line.
        sign_in(page, TOKEN)
        page.evaluate("sessionStorage.setItem('aikg-curator-token', 'changed-since')")
        page.get_by_role("button", name="Reject Nvidia suppliesTo Microsoft").click()
        page.click("#curate-confirm")
        wait_for(page, "document.getElementById('curate-error').textContent !== ''")
        error = page.locator("#curate-error").inner_text()
        assert error.startswith("The server refused (401): this operation needs 'Authorization: Bearer <token>'")
        assert "\n" not in error
        assert snapshot(server) == before and ask(server, SUPPLIES)
        # Refused, the page signs the curator out: its buttons are gone.
        assert page.locator("button.curate").count() == 0
        assert page.evaluate("sessionStorage.getItem('aikg-curator-token')") is None
        assert w.errors == [] or all("401" in e for e in w.errors)
    finally:
        page.context.close()


def test_reject_from_the_evidence_panel_of_the_graph(server, chromium):
    w = open_watched(chromium, server.url)
    page = w.page
    try:
        page.goto(f"{server.url}/graph")
        wait_ready(page)
        sign_in(page, TOKEN)
        page.evaluate("""() => aikg.showEdge(aikg.data.edges.find(e => e.predicate === 'uses').id)""")
        panel = page.locator("#panel")
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "curate-graph-panel.png"))
        panel.get_by_role("button", name="Reject Copilot uses GPT-4").click()
        assert (
            page.locator("#curate-dialog-text")
            .inner_text()
            .startswith("Reject: Copilot uses GPT-4 (1 statement from 1 article). Readers will no longer see it")
        )
        with page.expect_navigation():
            page.click("#curate-confirm")
        wait_ready(page)
        assert page.locator("#curator-status").inner_text().startswith("Done: rejected Copilot uses GPT-4")
        assert not ask(server, f"ASK {{ <{ENTITY}copilot> <{ONTOLOGY}uses> <{ENTITY}gpt-4> }}")
        assert page.evaluate("aikg.data.edges.filter(e => e.predicate === 'uses').length") == 0
    finally:
        page.context.close()


def test_rename_and_unlink_from_the_entity_form(server, chromium):
    w = open_watched(chromium, server.url)
    page = w.page
    try:
        page.goto(f"{server.url}/entity/{sample.AMAZON.slug}")
        sign_in(page, TOKEN)
        page.select_option("#curate-action", "rename")
        page.fill("#curate-value", "Amazon.com, Inc.")
        page.click("form.curate-entity button[type=submit]")
        assert page.locator("#curate-dialog-text").inner_text() == (
            "Rename: Amazon is called \u201cAmazon.com, Inc.\u201d. The names articles use stay as aliases."
        )
        with page.expect_navigation():
            page.click("#curate-confirm")
        assert page.locator("h1").inner_text().startswith("Amazon.com, Inc.")
        assert "Amazon" in page.locator("dl.facts").inner_text()  # the old name, now an alias
        page.select_option("#curate-action", "link")
        assert page.input_value("#curate-value") == "Q3884"
        page.fill("#curate-value", "")
        page.click("form.curate-entity button[type=submit]")
        assert (
            page.locator("#curate-dialog-text").inner_text()
            == "Remove the Wikidata link of Amazon.com, Inc. (now Q3884)."
        )
        with page.expect_navigation():
            page.click("#curate-confirm")
        assert "not linked" in page.locator("dl.facts").inner_text()
        assert not ask(server, f"ASK {{ <{ENTITY}amazon> <{OWL}sameAs> ?item }}")
        log = httpx.get(f"{server.url}/curation/log", timeout=30).json()["operations"]
        assert [(op["type"], op["by"]) for op in log[-2:]] == [("Rename", CURATOR), ("ClearWikidata", CURATOR)]
        assert w.errors == [] and w.foreign(server.url) == []
    finally:
        page.context.close()
