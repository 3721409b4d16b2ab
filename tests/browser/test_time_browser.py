"""Ended relations on the served network page, in real headless Chromium.

The server is a real process over a real store holding one career (tests/timeworld.py):
Dana Okafor worked for Helix Robotics from March 2019 and led it from May 2022, and left
both in August 2024; Northwind Capital's 2022 stake still stands.
"""

from __future__ import annotations

import pytest

from kg.namespaces import ENTITY
from kg.viz import ENDED_COLOR, ENDED_DASHES, PREDICATE_COLOR
from tests import timeworld as tw
from tests.browser.conftest import ARTIFACTS, wait_ready

pytestmark = [pytest.mark.browser, pytest.mark.server]

WORKS = (ENTITY + tw.DANA.slug, "worksFor", ENTITY + tw.HELIX.slug)
LEADS = (ENTITY + tw.DANA.slug, "leads", ENTITY + tw.HELIX.slug)
STAKE = (ENTITY + tw.NORTHWIND.slug, "investsIn", ENTITY + tw.HELIX.slug)


@pytest.fixture(scope="module")
def time_server(tmp_path_factory):
    from tests.api.conftest import start_server, stop_server

    srv = start_server(tw.build_store(tmp_path_factory.mktemp("served-time") / "store"))
    yield srv
    stop_server(srv)


def drawn(w) -> dict[tuple[str, str, str], dict]:
    """Return what vis-network holds for each visible edge: its colour, dashes and hover text."""
    rows = w.page.evaluate("""aikg.edges.get({filter: e => !e.hidden}).map(e => {
        const d = aikg.data.edges.find(x => x.id === e.id);
        return [e.from, d.predicate, e.to, e.color.color, e.dashes, e.tip, e.id];
    })""")
    return {(f, p, t): {"color": c, "dashes": dashes, "title": title, "id": i} for f, p, t, c, dashes, title, i in rows}


def slide_to(w, day: str) -> None:
    w.page.evaluate(
        """day => {
        const s = document.getElementById('asof');
        let i = 0;
        while (document.getElementById('asof-label').textContent !== day && i <= +s.max) {
            s.value = String(i++); s.dispatchEvent(new Event('input'));
        }
    }""",
        day,
    )
    assert w.page.locator("#asof-label").inner_text() == day


def test_ended_edges_are_dotted_grey_and_the_box_hides_them(watched, time_server):
    w = watched(time_server.url)
    w.page.goto(time_server.url + "/graph")
    wait_ready(w.page)
    edges = drawn(w)
    assert set(edges) == {WORKS, LEADS, STAKE}
    for key in (WORKS, LEADS):
        assert edges[key]["color"] == ENDED_COLOR and edges[key]["dashes"] == ENDED_DASHES
    assert edges[WORKS]["title"].splitlines()[-1] == "ended 2024-08 (since 2019-03)"
    assert edges[STAKE]["color"] == PREDICATE_COLOR["investsIn"] and edges[STAKE]["dashes"] is False
    assert "ended (over by the day shown)" in w.page.locator("#legend").inner_text()

    # The evidence panel says which sentence ended it, and when.
    w.page.evaluate("id => aikg.showEdge(id)", edges[WORKS]["id"])
    panel = w.page.locator("#panel").inner_text()
    assert "ended 2019-03" not in panel and "ended 2024-08" in panel and "from 2019-03" in panel
    assert tw.S_LEFT in panel and tw.S_JOINED in panel
    ARTIFACTS.mkdir(exist_ok=True)
    w.page.screenshot(path=str(ARTIFACTS / "graph-ended.png"))

    # "show ended relations" off: only the standing stake is left, and the address says so.
    box = w.page.locator("#f-ended")
    assert box.is_checked()
    box.uncheck()
    assert set(drawn(w)) == {STAKE}
    assert "include_ended=0" in w.page.url
    box.check()
    assert set(drawn(w)) == {WORKS, LEADS, STAKE}

    # The slider replays the career: in May 2022 both roles were active, drawn as such.
    slide_to(w, "2022-05")
    edges = drawn(w)
    assert set(edges) == {WORKS, LEADS}
    assert edges[WORKS]["color"] == PREDICATE_COLOR["worksFor"] and edges[WORKS]["dashes"] is False
    assert edges[WORKS]["title"].splitlines()[-1] == "since 2019-03"
    slide_to(w, "2019-03")
    assert set(drawn(w)) == {WORKS}
    assert w.errors == [] and w.dialogs == [] and w.foreign(time_server.url) == []

    # A link with the box off opens with it off.
    w.page.goto(time_server.url + "/graph?include_ended=0")
    wait_ready(w.page)
    assert not w.page.locator("#f-ended").is_checked()
    assert set(drawn(w)) == {STAKE}
    assert w.errors == []
