"""The rest of the curator's operations in headless Chromium, against a real `aikg serve`.

Split (from the entity page a merge left), remove an alias, add a relation by hand with its
source (entity page), and undo any operation from the history on /curation: each shows
what it will change, changes what the pages and /sparql's default graph show, and keeps
the history. A merge then a split gives back the default graph quad for quad.
"""

from __future__ import annotations

import re

import httpx
import pytest

from kg.curation import OP_PREFIX
from kg.namespaces import ENTITY, ONTOLOGY, SKOS
from tests.api.conftest import TOKEN
from tests.browser import sample
from tests.browser.conftest import ARTIFACTS, open_watched, wait_for
from tests.browser.test_curation_actions_browser import CURATOR, ask, sign_in, sparql

pytestmark = [pytest.mark.browser, pytest.mark.server]

DEFAULT = "SELECT ?s ?p ?o WHERE { ?s ?p ?o }"
SUPPLIES = f"ASK {{ <{ENTITY}nvidia> <{ONTOLOGY}suppliesTo> <{ENTITY}microsoft> }}"
PARTNERS = (
    f"ASK {{ {{ <{ENTITY}anthropic> <{ONTOLOGY}partnersWith> <{ENTITY}google> }} "
    f"UNION {{ <{ENTITY}google> <{ONTOLOGY}partnersWith> <{ENTITY}anthropic> }} }}"
)


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """`aikg serve` over a store of its own, its token named "ada"."""
    from tests.api.conftest import start_server, stop_server

    store = sample.build_store(tmp_path_factory.mktemp("curate-history") / "store")
    srv = start_server(store, command="aikg", AIKG_TOKEN=f"{CURATOR}:{TOKEN}")
    yield srv
    stop_server(srv)


def post(srv, route: str, body: dict) -> dict:
    r = httpx.post(f"{srv.url}/curation/{route}", json=body, headers={"Authorization": f"Bearer {TOKEN}"}, timeout=30)
    assert r.status_code == 200, r.text
    return r.json()


def default_graph(srv) -> list[tuple]:
    """The default graph's triples, less the operations' own records (the history grows)."""
    rows = sparql(srv, DEFAULT)["results"]["bindings"]
    return sorted(
        tuple(sorted((k, v["type"], v["value"]) for k, v in row.items()))
        for row in rows
        if not row["s"]["value"].startswith(OP_PREFIX)
    )


def test_split_from_the_entity_page_gives_back_the_graph(server, chromium):
    before = default_graph(server)
    post(server, "merge", {"source": "Microsoft AI", "target": "Microsoft", "reason": "one <i>company</i>"})
    assert default_graph(server) != before
    w = open_watched(chromium, server.url)
    page = w.page
    try:
        page.goto(f"{server.url}/entity/{sample.MSFT.slug}")
        merged = page.locator("ul.merged li")
        assert merged.count() == 1
        assert re.fullmatch(
            rf"Microsoft AI \(microsoft-ai, merged by {CURATOR} on \d{{4}}-\d\d-\d\d: “one <i>company</i>”\)",
            merged.inner_text().strip(),
        ), merged.inner_text()
        assert merged.locator("i").count() == 0  # the reason is text
        assert page.locator("button.curate.split").count() == 0  # not signed in: no button
        sign_in(page, TOKEN)
        page.get_by_role("button", name="Split Microsoft AI out of Microsoft").click()
        assert page.locator("#curate-dialog-text").inner_text() == (
            "Split: Microsoft AI out of Microsoft. Microsoft AI gets its own page back, with the relations and "
            "names the articles give it; the merge stays in the history."
        )
        with page.expect_navigation():
            page.click("#curate-confirm")
        assert (
            page.locator("#curator-status").inner_text().startswith("Done: split Microsoft AI out of Microsoft (Split ")
        )
        assert page.locator("ul.merged").count() == 0
        assert "Microsoft AI" not in page.locator("dl.facts").inner_text()
        assert default_graph(server) == before  # merge then split: the same default graph
        page.goto(f"{server.url}/entity/microsoft-ai")
        assert page.url == f"{server.url}/entity/microsoft-ai"  # no redirect any more
        assert page.locator("h1").inner_text().startswith("Microsoft AI")
        assert "Mustafa Suleyman" in page.locator("section.group").first.inner_text()
        assert w.errors == [] and w.foreign(server.url) == []
    finally:
        page.context.close()


def test_remove_an_alias_from_the_entity_form(server, chromium):
    alias = f'ASK {{ <{ENTITY}openai> <{SKOS}altLabel> "Open AI" }}'
    assert ask(server, alias)
    w = open_watched(chromium, server.url)
    page = w.page
    try:
        page.goto(f"{server.url}/entity/{sample.OPENAI.slug}")
        sign_in(page, TOKEN)
        page.select_option("#curate-action", "unalias")
        assert page.locator("form.curate-entity label span").inner_text() == "The alias to remove (Open AI)"
        page.fill("#curate-value", "OpenAI Inc")
        page.click("form.curate-entity button[type=submit]")
        assert page.locator("#curator-status").inner_text() == (
            "OpenAI Inc is not an alias of OpenAI; its aliases are: Open AI."
        )
        assert not page.locator("dialog#curate-dialog").is_visible()
        page.fill("#curate-value", "open ai")
        page.click("form.curate-entity button[type=submit]")
        assert page.locator("#curate-dialog-text").inner_text() == (
            "Remove an alias: OpenAI is no longer also called \u201cOpen AI\u201d; the articles that use the name "
            "keep it in their own graphs."
        )
        with page.expect_navigation():
            page.click("#curate-confirm")
        assert page.locator("#curator-status").inner_text().startswith("Done: removed the alias Open AI from OpenAI")
        assert "Open AI" not in page.locator("dl.facts").inner_text()
        assert not ask(server, alias)
        assert w.errors == [] and w.foreign(server.url) == []
    finally:
        page.context.close()


def test_add_a_relation_by_hand_from_the_entity_page(server, chromium):
    assert not ask(server, PARTNERS)
    w = open_watched(chromium, server.url)
    page = w.page
    try:
        page.goto(f"{server.url}/entity/{sample.ANTHROPIC.slug}")
        sign_in(page, TOKEN)
        form = page.locator("form.curate-add")
        assert form.locator("#curate-add-predicate option").count() == 13
        page.select_option("#curate-add-predicate", "partnersWith")
        page.fill("#curate-add-other", "Google")
        page.fill("#curate-add-quote", "Anthropic and Google said they would <i>work together</i>.")
        form.locator("button[type=submit]").click()
        assert page.locator("#curator-status").inner_text() == "Fill in: an http(s) source address."
        assert not page.locator("dialog#curate-dialog").is_visible()
        page.fill("#curate-add-url", "https://press.example/anthropic-google")
        form.locator("button[type=submit]").click()
        assert (
            page.locator("#curate-dialog-text")
            .inner_text()
            .startswith(
                "Add by hand: Anthropic partnersWith Google, from https://press.example/anthropic-google: "
                "\u201cAnthropic and Google said they would <i>work together</i>.\u201d. It is shown as reviewed"
            )
        )
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "curate-add-confirm.png"))
        with page.expect_navigation():
            page.click("#curate-confirm")
        assert (
            page.locator("#curator-status")
            .inner_text()
            .startswith("Done: added Anthropic partnersWith Google (AddRelation ")
        )
        assert ask(server, PARTNERS)
        group = page.locator("section.group", has=page.locator("h3 span.pred", has_text="partnersWith"))
        row = group.locator("li.row", has=page.locator("a.entity", has_text="Google"))
        assert row.count() == 1
        row.locator("details.row-evidence summary").click()
        evidence = row.locator("ul.evidence").inner_text()
        assert "Anthropic and Google said they would <i>work together</i>." in evidence
        assert row.locator("ul.evidence i").count() == 0
        assert w.errors == [] and w.foreign(server.url) == []
    finally:
        page.context.close()


def test_undo_from_the_history(server, chromium):
    done = post(
        server,
        "reject",
        {
            "subject": "Nvidia",
            "predicate": "suppliesTo",
            "object": "Microsoft",
            "reason": "<script>alert(1)</script> not chips",
        },
    )
    op = done["operation"]["id"]
    assert not ask(server, SUPPLIES)
    w = open_watched(chromium, server.url)
    page = w.page
    try:
        page.goto(f"{server.url}/curation")
        history = page.locator("table.history")
        assert page.locator("#history-heading").inner_text().startswith("History (")
        first = history.locator("tbody tr").first  # newest first
        assert first.get_attribute("id") == f"op-{op}"
        assert first.locator("td.what").inner_text() == f"Rejected Nvidia suppliesTo Microsoft (Reject {op})"
        assert first.locator("td[data-label=Why]").inner_text() == "<script>alert(1)</script> not chips"
        assert first.locator("td.state").inner_text() == "in force"
        assert page.locator("button.curate.undo").count() == 0  # not signed in
        sign_in(page, TOKEN)
        first.get_by_role("button", name="Undo: Rejected Nvidia suppliesTo Microsoft").click()
        assert re.fullmatch(
            rf"Undo: Rejected Nvidia suppliesTo Microsoft \(by {CURATOR}, \d{{4}}-\d\d-\d\d \d\d:\d\d UTC\)\. "
            r"The graph then reads as if it had not been made; the history keeps both\.",
            page.locator("#curate-dialog-text").inner_text(),
        )
        with page.expect_navigation():
            page.click("#curate-confirm")
        assert (
            page.locator("#curator-status")
            .inner_text()
            .startswith("Done: undid: Rejected Nvidia suppliesTo Microsoft (Undo ")
        )
        assert ask(server, SUPPLIES)  # back in /sparql's default graph
        rows = history.locator("tbody tr")
        undo_row, undone_row = rows.nth(0), rows.nth(1)
        assert undo_row.locator("td.what").inner_text().startswith(f"Undid Reject {op} (Undo ")
        assert undo_row.locator("td.state").inner_text() == "an undo"
        assert undone_row.get_attribute("class") == "undone"
        undo_id = undo_row.get_attribute("id").removeprefix("op-")
        assert undone_row.locator("td.state").inner_text() == f"undone by {undo_id}"
        # Neither an undo nor an undone operation can be undone again from the page.
        assert undo_row.locator("button.curate").count() == 0 and undone_row.locator("button.curate").count() == 0
        wait_for(page, "document.querySelectorAll('script').length > 0")
        assert page.locator("table.history script").count() == 0
        log = httpx.get(f"{server.url}/curation/log", timeout=30).json()["operations"]
        assert [(o["type"], o["undone_by"]) for o in log[-2:]] == [("Reject", undo_id), ("Undo", None)]
        assert w.errors == [] and w.foreign(server.url) == []
    finally:
        page.context.close()


def test_accept_add_alias_retype_and_link_from_the_entity_page(server, chromium):
    invests = f"ASK {{ <{ENTITY}amazon> <{ONTOLOGY}investsIn> <{ENTITY}anthropic> }}"
    post(server, "reject", {"subject": "Amazon", "predicate": "investsIn", "object": "Anthropic"})
    assert not ask(server, invests)
    w = open_watched(chromium, server.url)
    page = w.page
    try:
        page.goto(f"{server.url}/entity/{sample.AMAZON.slug}")
        sign_in(page, TOKEN)
        page.click("details#rejected summary")
        page.get_by_role("button", name="Accept Amazon investsIn Anthropic").click()
        assert (
            page.locator("#curate-dialog-text")
            .inner_text()
            .startswith("Accept: Amazon investsIn Anthropic (1 statement from 1 article). It is marked reviewed")
        )
        with page.expect_navigation():
            page.click("#curate-confirm")
        assert ask(server, invests)
        assert page.locator("details#rejected").count() == 0

        page.goto(f"{server.url}/entity/{sample.COPILOT.slug}")
        page.select_option("#curate-action", "alias")
        page.fill("#curate-value", "Copilot <assistant>")
        page.click("form.curate-entity button[type=submit]")
        assert page.locator("#curate-dialog-text").inner_text() == (
            "Add an alias: Copilot is also called \u201cCopilot <assistant>\u201d."
        )
        with page.expect_navigation():
            page.click("#curate-confirm")
        assert "Copilot <assistant>" in page.locator("dl.facts").inner_text()

        page.select_option("#curate-action", "retype")
        page.fill("#curate-value", "aimodel")
        page.click("form.curate-entity button[type=submit]")
        assert page.locator("#curate-dialog-text").inner_text() == (
            "Change the type: Copilot becomes AIModel (now Product), whatever type the articles gave it."
        )
        with page.expect_navigation():
            page.click("#curate-confirm")
        assert page.locator("h1 .badge").inner_text() == "AIModel"

        page.select_option("#curate-action", "link")
        page.fill("#curate-value", "not-an-id")
        page.click("form.curate-entity button[type=submit]")
        page.click("#curate-confirm")
        wait_for(page, "document.getElementById('curate-error').textContent !== ''")
        assert page.locator("#curate-error").inner_text() == (
            "The server refused (400): not a Wikidata item id: 'not-an-id' (e.g. Q95)"
        )
        page.click("#curate-cancel")
        page.fill("#curate-value", "Q100")
        page.click("form.curate-entity button[type=submit]")
        with page.expect_navigation():
            page.click("#curate-confirm")
        assert page.locator("dl.facts a[href='https://www.wikidata.org/wiki/Q100']").count() == 1
        log = httpx.get(f"{server.url}/curation/log", timeout=30).json()["operations"]
        assert [o["type"] for o in log[-5:]] == ["Reject", "Accept", "AddAlias", "Retype", "SetWikidata"]
        assert w.errors == [] or all("400" in e for e in w.errors)
        assert w.foreign(server.url) == []
    finally:
        page.context.close()
