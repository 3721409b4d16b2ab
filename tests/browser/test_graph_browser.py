"""The network page in real headless Chromium: drawn, filtered, clickable, inert to hostile data."""

from __future__ import annotations

import time

import pytest

from api.routes.graph import VIS_PATH
from kg.namespaces import ENTITY
from kg.viz import PREDICATE_COLOR
from tests.browser import sample
from tests.browser.conftest import ARTIFACTS, wait_ready

pytestmark = pytest.mark.browser

ALL_NODES = {ENTITY + e.slug for e in (
    sample.MSFT, sample.OPENAI, sample.ANTHROPIC, sample.AMAZON, sample.GOOGLE, sample.NVIDIA,
    sample.SULEYMAN, sample.MSAI, sample.GPT4, sample.COPILOT, sample.XSS)}
XSS_ID = ENTITY + sample.XSS.slug


def load(w, url: str) -> None:
    w.page.goto(url)
    wait_ready(w.page)


def dataset(w) -> tuple[set[str], set[tuple[str, str, str]]]:
    """Return the visible node ids and (from, predicate, to) of visible edges, from vis's DataSets."""
    nodes = w.page.evaluate("aikg.nodes.get({filter: n => !n.hidden}).map(n => n.id)")
    edges = w.page.evaluate(
        "aikg.edges.get({filter: e => !e.hidden}).map(e => [e.from, aikg.data.edges.find(d => d.id === e.id).predicate, e.to])")
    return set(nodes), {tuple(e) for e in edges}


def click_node(w, node_id: str) -> None:
    pos = w.page.evaluate(
        "id => aikg.network.canvasToDOM(aikg.network.getPositions([id])[id])", node_id)
    box = w.page.locator("#network canvas").bounding_box()
    w.page.mouse.click(box["x"] + pos["x"], box["y"] + pos["y"])


def hover_node(w, node_id: str) -> None:
    pos = w.page.evaluate(
        "id => aikg.network.canvasToDOM(aikg.network.getPositions([id])[id])", node_id)
    box = w.page.locator("#network canvas").bounding_box()
    w.page.mouse.move(box["x"] + pos["x"] - 5, box["y"] + pos["y"] - 5)
    w.page.mouse.move(box["x"] + pos["x"], box["y"] + pos["y"])


def test_standalone_file_draws_everything_offline(watched, standalone_page):
    w = watched()
    load(w, standalone_page.as_uri())
    nodes, edges = dataset(w)
    assert nodes == ALL_NODES and len(edges) == 9
    assert (ENTITY + "microsoft", "investsIn", ENTITY + "openai") in edges
    assert w.errors == [] and w.dialogs == []
    assert w.foreign(None) == []
    ARTIFACTS.mkdir(exist_ok=True)
    w.page.screenshot(path=str(ARTIFACTS / "graph-standalone.png"))


def test_standalone_filters_from_the_address(watched, standalone_page):
    w = watched()
    load(w, standalone_page.as_uri() + "#predicates=investsIn&min_sources=1")
    nodes, edges = dataset(w)
    assert {p for _, p, _ in edges} == {"investsIn"} and len(edges) == 3
    assert nodes == {ENTITY + s for s in ("microsoft", "openai", "amazon", "anthropic", "google")}
    assert w.page.locator("input[name=predicates][value=uses]").is_checked() is False
    # The ego filter works in the file too, and the share link keeps it.
    w.page.fill("#f-focus", "Anthropic")
    w.page.click("#filters button[type=submit]")
    nodes, _ = dataset(w)
    assert nodes == {ENTITY + s for s in ("anthropic", "amazon", "google")}
    assert "focus=Anthropic" in w.page.get_attribute("#share", "href")
    assert w.errors == []


def test_clicking_a_node_shows_its_evidence(watched, standalone_page):
    w = watched()
    load(w, standalone_page.as_uri())
    click_node(w, ENTITY + "microsoft")
    panel = w.page.locator("#panel")
    panel.locator("h2").wait_for()
    assert panel.locator("h2").inner_text() == "Microsoft"
    text = panel.inner_text()
    assert sample.S_INVEST in text and sample.S_SUPPLY in text
    assert [h.inner_text() for h in panel.locator("h3").all()] == ["investsIn", "partnersWith", "suppliesTo"]
    link = panel.get_by_role("link", name="Microsoft bets big on OpenAI")
    assert link.get_attribute("href") == "https://news.example/msft-openai"
    assert "2023-01-23" in text and "confidence 0.95" in text
    # Clicking a relation in the panel narrows it to that edge's evidence.
    panel.locator(".rel").first.click()
    assert w.page.locator("#panel").get_attribute("data-kind") == "edge"
    assert w.page.locator("#panel h2").inner_text() == "Microsoft investsIn OpenAI"
    assert w.errors == []


def test_hostile_names_and_sentences_stay_text(watched, standalone_page):
    w = watched()
    load(w, standalone_page.as_uri())
    hover_node(w, XSS_ID)
    tooltip = w.page.locator("#tip")
    tooltip.wait_for(state="visible", timeout=5000)
    assert tooltip.inner_text().splitlines()[0] == sample.XSS.name
    click_node(w, XSS_ID)
    w.page.locator("#panel h2").wait_for()
    assert w.page.locator("#panel h2").inner_text() == sample.XSS.name
    assert sample.S_XSS in w.page.locator("#panel").inner_text()
    # The article's javascript: URL is shown as a title, never as a link.
    assert w.page.locator("#panel a[href^='javascript']").count() == 0
    assert w.page.locator("#panel").get_by_text("<b>Labs</b> & friends").count() == 1
    time.sleep(0.5)
    assert w.dialogs == []
    # The page's own four script elements, and nothing the data could have added.
    assert w.page.evaluate("document.querySelectorAll('script').length") == 4
    assert w.page.evaluate("document.querySelectorAll('img').length") == 0
    assert w.errors == [] and w.foreign(None) == []


def test_as_of_slider_replays_growth(watched, standalone_page):
    w = watched()
    load(w, standalone_page.as_uri())
    slider = w.page.locator("#asof")
    slider.evaluate("(s) => { s.value = '0'; s.dispatchEvent(new Event('input')); }")
    assert w.page.locator("#asof-label").inner_text() == "2023-01-23"
    nodes, edges = dataset(w)
    assert edges == {(ENTITY + "microsoft", "investsIn", ENTITY + "openai"),
                     (ENTITY + "openai", "develops", ENTITY + "gpt-4")}
    assert nodes == {ENTITY + s for s in ("microsoft", "openai", "gpt-4")}
    slider.evaluate("(s) => { s.value = s.max; s.dispatchEvent(new Event('input')); }")
    assert len(dataset(w)[1]) == 9


def test_search_centres_on_an_entity(watched, standalone_page):
    w = watched()
    load(w, standalone_page.as_uri())
    w.page.fill("#search", "nvidia")
    w.page.press("#search", "Enter")
    w.page.locator("#panel h2").wait_for()
    assert w.page.locator("#panel h2").inner_text() == "Nvidia"
    assert w.page.evaluate("aikg.network.getSelectedNodes()") == [ENTITY + "nvidia"]


@pytest.mark.server
def test_served_graph_page_with_filters(watched, graph_server):
    w = watched(graph_server.url)
    load(w, graph_server.url + "/graph?predicates=investsIn,leads&types=Organization,Person")
    nodes, edges = dataset(w)
    assert {p for _, p, _ in edges} == {"investsIn", "leads"} and len(edges) == 4
    assert ENTITY + "mustafa-suleyman" in nodes and ENTITY + "gpt-4" not in nodes
    assert w.errors == [] and w.dialogs == []
    assert w.foreign(graph_server.url) == []
    click_node(w, ENTITY + "mustafa-suleyman")
    w.page.locator("#panel h2").wait_for()
    assert sample.S_LEADS in w.page.locator("#panel").inner_text()
    assert w.page.locator("#panel a.entity-link").get_attribute("href") == "/entity/mustafa-suleyman"
    ARTIFACTS.mkdir(exist_ok=True)
    w.page.screenshot(path=str(ARTIFACTS / "graph-served.png"))


@pytest.mark.server
def test_served_form_asks_the_server_with_a_short_link(watched, graph_server):
    w = watched(graph_server.url)
    load(w, graph_server.url + "/graph")
    w.page.fill("#f-focus", "OpenAI")
    w.page.fill("#f-depth", "1")
    with w.page.expect_navigation():
        w.page.click("#filters button[type=submit]")
    wait_ready(w.page)
    assert w.page.url == graph_server.url + "/graph?focus=OpenAI&depth=1"
    nodes, _ = dataset(w)
    assert nodes == {ENTITY + s for s in ("openai", "microsoft", "anthropic", "gpt-4")}
    assert w.page.evaluate("aikg.data.focus") == ENTITY + "openai"
    # An entity outside the drawn view is found by asking the server.
    load(w, graph_server.url + "/graph?limit=3")
    assert "showing 3 of 11 entities" in w.page.locator("header.graph-head").inner_text()
    w.page.fill("#search", "Copilot")
    with w.page.expect_navigation():
        w.page.press("#search", "Enter")
    wait_ready(w.page)
    assert ENTITY + "copilot" in dataset(w)[0]
    assert w.errors == [] and w.foreign(graph_server.url) == []


@pytest.mark.server
def test_served_page_keeps_to_its_policy_and_gets_vis_network_from_the_server(watched, graph_server):
    w = watched(graph_server.url)
    w.page.add_init_script("window.violations = []; document.addEventListener('securitypolicyviolation', "
                           "e => window.violations.push(e.violatedDirective + ' ' + e.blockedURI));")
    load(w, graph_server.url + "/graph")
    # Drawn, with no inline code refused: the page's own script and style pass by their hashes.
    assert w.page.evaluate("window.violations") == [] and w.errors == []
    assert graph_server.url + VIS_PATH + "/vis-network.min.js" in w.requests
    assert graph_server.url + VIS_PATH + "/vis-network.css" in w.requests
    assert w.foreign(graph_server.url) == []
    # The legend keeps its colours without style attributes.
    assert w.page.evaluate("getComputedStyle(document.querySelector('#color-by .t-Organization'))"
                           ".backgroundColor") == "rgb(78, 121, 167)"
    assert w.page.evaluate("document.querySelector('[data-predicate=competesWith] line')"
                           ".getAttribute('stroke')") == PREDICATE_COLOR["competesWith"]
    # A script the page did not ship does not run.
    w.page.evaluate("() => { const s = document.createElement('script'); s.textContent = 'window.injected = 1'; "
                    "document.body.appendChild(s); }")
    assert w.page.evaluate("window.injected === undefined")
    assert any(v.startswith("script-src") for v in w.page.evaluate("window.violations"))


def test_clicking_an_edge_shows_its_sentences(watched, standalone_page):
    w = watched()
    load(w, standalone_page.as_uri())
    edge_id = w.page.evaluate("""() => aikg.data.edges.find(e =>
        e.from.endsWith('/amazon') && e.predicate === 'investsIn').id""")
    # vis-network draws edges as curves: take the point halfway along the drawn one.
    pos = w.page.evaluate("""id => aikg.network.canvasToDOM(
        aikg.network.body.edges[id].edgeType.getPoint(0.5))""", edge_id)
    box = w.page.locator("#network canvas").bounding_box()
    w.page.mouse.click(box["x"] + pos["x"], box["y"] + pos["y"])
    w.page.locator("#panel h2").wait_for()
    assert w.page.locator("#panel").get_attribute("data-kind") == "edge"
    assert w.page.locator("#panel h2").inner_text() == "Amazon investsIn Anthropic"
    assert sample.S_AMAZON in w.page.locator("#panel").inner_text()
    assert w.page.locator("#panel").get_by_role("link", name="Amazon backs Anthropic").count() == 1


@pytest.mark.server
def test_weaker_statements_are_counted_and_one_link_shows_them(watched, tmp_path):
    from tests.api.conftest import start_server, stop_server
    from tests.api.test_confidence_threshold import MIXED_STRONG, MIXED_WEAK, build_threshold_store

    srv = start_server(build_threshold_store(tmp_path / "store"))
    try:
        w = watched(srv.url)
        load(w, srv.url + "/graph")
        assert len(dataset(w)[1]) == 2
        edge_id = w.page.evaluate("aikg.data.edges.find(e => e.predicate === 'partnersWith').id")
        w.page.evaluate("id => aikg.showEdge(id)", edge_id)
        panel = w.page.locator("#panel").inner_text()
        assert MIXED_STRONG in panel and MIXED_WEAK not in panel
        assert "1 weaker statement hidden (confidence below 0.50)" in panel
        with w.page.expect_navigation():
            w.page.click("#panel a.show-all")
        wait_ready(w.page)
        assert w.page.url == srv.url + "/graph?min_confidence=0"
        assert len(dataset(w)[1]) == 3 and w.page.input_value("#f-conf") == "0"
        w.page.evaluate("id => aikg.showEdge(id)", w.page.evaluate(
            "aikg.data.edges.find(e => e.predicate === 'partnersWith').id"))
        assert MIXED_WEAK in w.page.locator("#panel").inner_text()
        # Back to the default from the form: the link names no threshold, the server applies its own.
        w.page.fill("#f-conf", "0.5")
        with w.page.expect_navigation():
            w.page.click("#filters button[type=submit]")
        wait_ready(w.page)
        assert w.page.url == srv.url + "/graph" and len(dataset(w)[1]) == 2
        assert w.errors == [] and w.foreign(srv.url) == []
    finally:
        stop_server(srv)
