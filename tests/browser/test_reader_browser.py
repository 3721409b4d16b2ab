"""The article and entity pages in headless Chromium against a real server process.

The store is built here through the real loader: one long article whose text is stored
(``store_text``), one kept as its evidence sentences only, and an investor with more
relations in one group than the page shows before "show all". Screenshots of both pages
at 1280x800 and 390x844 go to test-artifacts/.
"""

from __future__ import annotations

from datetime import date

import pytest

from kg.loader import ingest
from kg.model import Article, Entity, Extraction, RelationMention
from kg.reader import GROUP_ROWS
from kg.store import LocalStore
from tests.browser.conftest import ARTIFACTS, open_watched, wait_for

pytestmark = [pytest.mark.browser, pytest.mark.server]

FUND = Entity("Big Fund", "Organization", "Q4115189")
ROE = Entity("Jane Roe", "Person")
OPENAI = Entity("OpenAI", "Organization")
ACME = Entity("Acme Labs", "Organization")
BETA = Entity("Beta Corp", "Organization")
STARTUPS = [Entity(f"Startup {chr(65 + i)}", "Organization") for i in range(13)]
HEDGED = Entity("Startup Zed", "Organization")

FILLER = "Markets were quiet, and analysts spent the morning on other matters entirely."
TWO = f"On Monday, {ROE.name}, who leads {FUND.name}, said it would also back {STARTUPS[0].name}."
PAST = f"{FUND.name} sold its former stake in {OPENAI.name} last year."
MAYBE = f"{FUND.name} may invest in {HEDGED.name}."
# (subject, predicate, object, sentence, hedged, ended)
LONG_RELS = [(FUND, "investsIn", e, f"{FUND.name} invested in {e.name}.", False, False) for e in STARTUPS] + [
    (ROE, "leads", FUND, TWO, False, False),
    (FUND, "investsIn", STARTUPS[0], TWO, False, False),
    (FUND, "investsIn", OPENAI, PAST, False, True),
    (FUND, "investsIn", HEDGED, MAYBE, True, False),
]
LONG_TEXT = "\n\n".join([FILLER] * 3 + [f"{r[3]} {FILLER}" for r in LONG_RELS if r[3] != TWO] + [FILLER] * 4 + [TWO])

SHORT_A = f"{FUND.name} partners with {ACME.name}."
SHORT_B = f"{ACME.name} competes with {BETA.name}."
SHORT_TEXT = f"A lead paragraph nobody extracted. {SHORT_A} Something else entirely. {SHORT_B}"
SHORT_RELS = [(FUND, "partnersWith", ACME, SHORT_A, False, False), (ACME, "competesWith", BETA, SHORT_B, False, False)]


def _extraction(text: str, rels) -> Extraction:
    art = Article(text=text, url=None, title=f"About {len(rels)} relations", published=date(2024, 5, 6))
    out = []
    for s, p, o, sentence, hedged, ended in rels:
        start = art.text.index(sentence)
        out.append(RelationMention(s, p, o, 0.9, sentence, start, start + len(sentence), hedged=hedged, ended=ended))
    ents = tuple({e.slug: e for r in out for e in (r.subject, r.object)}.values())
    return Extraction(art, ents, tuple(out), "reader-test-1")


LONG = _extraction(LONG_TEXT, LONG_RELS)
SHORT = _extraction(SHORT_TEXT, SHORT_RELS)


@pytest.fixture(scope="module")
def reader_server(tmp_path_factory):
    from tests.api.conftest import start_server, stop_server

    path = tmp_path_factory.mktemp("reader") / "store"
    by_id = {ex.article.id: ex for ex in (LONG, SHORT)}
    with LocalStore(path) as store:
        ingest(store, [LONG.article], lambda b: (by_id[a.id] for a in b), store_text=True)
        ingest(store, [SHORT.article], lambda b: (by_id[a.id] for a in b))
    srv = start_server(path)
    yield srv
    stop_server(srv)


def _shots(page, name: str) -> None:
    """Save the page at both sizes; at the phone's, nothing may overflow sideways."""
    ARTIFACTS.mkdir(exist_ok=True)
    for width, height in ((1280, 800), (390, 844)):
        page.set_viewport_size({"width": width, "height": height})
        page.evaluate("window.scrollTo(0, 0)")
        page.screenshot(path=str(ARTIFACTS / f"{name}-{width}x{height}.png"), full_page=False)
        scroll, view = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        assert scroll <= view, f"{name} overflows at {width}px: {scroll} > {view}"


def _triples(page) -> list[dict]:
    return page.eval_on_selector_all(
        "li.triple",
        """lis => lis.map(li => {
        const links = li.querySelectorAll('.spo a');
        const s = document.getElementById(li.dataset.sentence);
        return {id: li.id, s: links[0].textContent, p: li.querySelector('.pred').textContent,
                o: links[links.length - 1].textContent, tag: s && s.tagName,
                text: s && s.textContent, bg: s && getComputedStyle(s).backgroundColor};
    })""",
    )


def _in_view(page, selector: str) -> bool:
    return page.evaluate(
        """sel => { const r = document.querySelector(sel).getBoundingClientRect();
        return r.top >= 0 && r.bottom <= window.innerHeight; }""",
        selector,
    )


def test_article_page_marks_every_evidence_sentence_and_links_both_ways(reader_server, chromium):
    w = open_watched(chromium, reader_server.url)
    page = w.page
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(f"{reader_server.url}/article/{LONG.article.id}")
    assert page.locator(".text-note").count() == 0  # the whole text is stored
    assert FILLER in page.text_content(".article-text .text")
    want: dict[tuple, set[str]] = {}
    for r in LONG_RELS:
        want.setdefault((r[0].name, r[1], r[2].name), set()).add(r[3])
    rows = _triples(page)
    assert len(rows) == len(LONG_RELS)
    plain_bg = page.evaluate("getComputedStyle(document.querySelector('.article-text .text')).backgroundColor")
    for row in rows:
        assert row["tag"] == "MARK" and row["text"] in want[(row["s"], row["p"], row["o"])], row
        assert row["bg"] not in (plain_bg, "rgba(0, 0, 0, 0)"), row
    marked = page.eval_on_selector_all("mark.evidence", "ms => ms.map(m => m.textContent)")
    assert sorted(marked) == sorted({r[3] for r in LONG_RELS})

    # A relation far down the list: its sentence is off screen until the relation is clicked.
    last = rows[-1]
    target = page.get_attribute(f"#{last['id']}", "data-sentence")
    assert not _in_view(page, f"#{target}")
    page.click(f"#{last['id']} .meta")
    wait_for(page, f"document.getElementById('{target}').classList.contains('is-current')")
    wait_for(
        page,
        f"(r => r.top >= 0 && r.bottom <= window.innerHeight)"
        f"(document.getElementById('{target}').getBoundingClientRect())",
    )
    assert page.get_attribute(f"#{last['id']}", "aria-current") == "true"

    # The sentence that states two relations selects both, and only them.
    two = page.eval_on_selector_all(
        "mark.evidence",
        "ms => ms.filter(m => m.dataset.triples.split(' ').length > 1).map(m => [m.id, m.dataset.triples])",
    )
    assert len(two) == 1
    sid, ids = two[0]
    page.locator(f"#{sid}").scroll_into_view_if_needed()
    box = page.evaluate(
        f"(r => [r.left + 4, r.top + r.height / 2])(document.getElementById('{sid}').getClientRects()[0])"
    )
    page.mouse.click(*box)  # "On Monday," is plain text: no link under the pointer
    wait_for(page, f"document.getElementById('{sid}').classList.contains('is-current')")
    current = page.eval_on_selector_all("li.triple.is-current", "lis => lis.map(li => li.id)")
    assert sorted(current) == sorted(ids.split())
    assert page.url.endswith(LONG.article.id)  # the click selected, it did not navigate

    # Names of entities are links to their pages.
    assert page.locator(f'a.mention[href="/entity/{FUND.slug}"]').count() == len(
        {r[3] for r in LONG_RELS}
    )  # once per sentence
    _shots(page, "article")
    assert w.errors == [] and w.dialogs == [] and w.foreign(reader_server.url) == []
    page.context.close()


def test_article_without_stored_text_shows_its_sentences_with_gaps(reader_server, chromium):
    w = open_watched(chromium, reader_server.url)
    page = w.page
    page.goto(f"{reader_server.url}/article/{SHORT.article.id}")
    assert "Full text not stored" in page.text_content(".text-note")
    assert page.locator(".text-note").is_visible()
    assert page.locator(".article-text p.gap").count() == 2  # before the first sentence, and between the two
    marked = page.eval_on_selector_all("mark.evidence", "ms => ms.map(m => m.textContent)")
    assert marked == [SHORT_A, SHORT_B]
    assert "nobody extracted" not in page.text_content("main")
    assert w.errors == [] and w.foreign(reader_server.url) == []
    page.context.close()


def test_entity_page_groups_collapses_and_draws_its_network(reader_server, chromium):
    w = open_watched(chromium, reader_server.url)
    page = w.page
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(f"{reader_server.url}/entity/{FUND.slug}")
    invests = len(STARTUPS) + 1  # the startups and the hedged one; the sold stake is past
    group = page.locator("#current-out-investsIn")
    assert group.locator("h3 .phrase").text_content() == "invests in"
    assert group.locator("h3 .count").text_content() == str(invests)
    visible = "ls => ls.filter(l => l.checkVisibility()).length"
    assert group.locator("li.row").evaluate_all(visible) == GROUP_ROWS
    group.locator("details.more > summary").click()
    assert "Show all" in group.locator("details.more > summary").text_content()
    assert group.locator("li.row").evaluate_all(visible) == invests
    # Incoming and past relations have their own groups; past ones under their own heading.
    assert page.locator("#current-in-leads .phrase").text_content() == "led by"
    assert page.evaluate("""() => {
        const past = document.getElementById('past');
        const g = document.getElementById('past-out-investsIn');
        return !!past && !!g && !!(past.compareDocumentPosition(g) & Node.DOCUMENT_POSITION_FOLLOWING);
    }""")
    assert page.locator("#past-out-investsIn li.row a.entity").text_content() == OPENAI.name
    assert page.locator("#current-out-investsIn").get_by_text(OPENAI.name, exact=True).count() == 0
    # Each row says how many sources and when it was seen.
    assert "1 source, 2024-05-06" in group.locator("li.row .seen").first.text_content()
    assert page.get_attribute("dl.facts a[href*='wikidata.org']", "href").endswith("/Q4115189")
    # The ego network: drawn, visible, its nodes links to the neighbours' pages.
    ego = page.locator("svg.ego-net")
    assert ego.is_visible()
    box = ego.bounding_box()
    assert box["width"] > 250 and box["height"] > 120
    assert page.locator("svg.ego-net a.node").count() == 12
    # The schema.org block for crawlers: a data block the strict CSP lets be (w.errors
    # below would hold a CSP report), readable as JSON, naming the entity.
    assert (
        page.evaluate("JSON.parse(document.querySelector('script[type=\"application/ld+json\"]').textContent).name")
        == FUND.name
    )
    _shots(page, "entity")
    box = page.locator("svg.ego-net").bounding_box()
    assert page.locator("svg.ego-net").is_visible() and box["width"] > 250 and box["height"] > 120
    assert w.errors == [] and w.dialogs == [] and w.foreign(reader_server.url) == []
    page.context.close()
