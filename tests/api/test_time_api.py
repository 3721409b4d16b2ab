"""as_of and ended through the REST API and the pages, on one career told by three articles.

Dana Okafor joined Helix Robotics in March 2019, was its chief executive from May 2022,
and left in August 2024 (tests/timeworld.py); the store is a real one on disk.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from kg.store import LocalStore
from kg.viz import ENDED_COLOR, ENDED_DASHES
from tests import timeworld as tw
from tests.api.conftest import make_client
from tests.api.test_graph_page import page_data


@pytest.fixture
def time_client(tmp_path: Path) -> Iterator[TestClient]:
    with make_client(tw.build_store(tmp_path / "store")) as c:
        yield c


def triples(items: list[dict]) -> dict[tuple[str, str, str], tuple]:
    return {
        (r["subject"]["slug"], r["predicate"], r["object"]["slug"]): (r["ended"], r["start_date"], r["end_date"])
        for r in items
    }


WORKS = ("dana-okafor", "worksFor", "helix-robotics")
LEADS = ("dana-okafor", "leads", "helix-robotics")
STAKE = ("northwind-capital", "investsIn", "helix-robotics")


def test_relations_as_of_2020_2023_2025(time_client):
    def at(**params):
        r = time_client.get("/relations", params=params)
        assert r.status_code == 200, r.text
        return triples(r.json()["items"])

    assert at(as_of="2020-06-30") == {WORKS: (False, "2019-03", None)}
    assert at(as_of="2023-06-30") == {
        WORKS: (False, "2019-03", None),
        LEADS: (False, "2022-05", None),
        STAKE: (False, "2022-05-03", None),
    }
    assert at(as_of="2025-01-01") == {
        WORKS: (True, "2019-03", "2024-08"),
        LEADS: (True, "2022-05", "2024-08"),
        STAKE: (False, "2022-05-03", None),
    }
    assert at(as_of="2025-01-01", include_ended="false") == {STAKE: (False, "2022-05-03", None)}
    # Without a day: the whole history, ended relations flagged.
    assert at() == at(as_of="2025-01-01")
    assert at(subject="Dana Okafor", as_of="2023") == {WORKS: (False, "2019-03", None), LEADS: (False, "2022-05", None)}


def test_entity_as_of_2020_2023_2025_with_statement_fields(time_client):
    def rels(**params):
        r = time_client.get("/entities/dana-okafor", params=params)
        assert r.status_code == 200, r.text
        body = r.json()
        return body, {(x["predicate"], x["ended"], x["start_date"], x["end_date"]) for x in body["relations"]}

    body, found = rels(as_of="2020-06-30")
    assert found == {("worksFor", False, "2019-03", None)} and body["as_of"] == "2020-06-30"
    assert rels(as_of="2023-06-30")[1] == {("worksFor", False, "2019-03", None), ("leads", False, "2022-05", None)}
    body, found = rels(as_of="2025-01-01")
    assert found == {("worksFor", True, "2019-03", "2024-08"), ("leads", True, "2022-05", "2024-08")}
    evidence = {ev["sentence"]: ev for r in body["relations"] for ev in r["evidence"]}
    left = evidence[tw.S_LEFT]
    assert (
        left["ended"],
        left["date"],
        left["stated_date"],
        left["end_date"],
        left["claim_date"],
        left["date_text"],
    ) == (True, "2024-09-16", "2024-08", "2024-08", "2024-08", "in August 2024")
    assert (evidence[tw.S_JOINED]["ended"], evidence[tw.S_JOINED]["start_date"]) == (False, "2019-03")
    assert rels(as_of="2025-01-01", include_ended="false")[1] == set()
    stake = time_client.get("/entities/northwind-capital").json()["relations"][0]["evidence"][0]
    assert (stake["amount_value"], stake["amount_currency"], stake["stake_percent"]) == (40000000.0, "USD", 12.0)


def test_article_mentions_carry_their_time_and_amount(time_client):
    body = time_client.get(f"/articles/{tw.EXTRACTIONS[1].article.id}").json()
    by = {m["predicate"]: m for m in body["mentions"]}
    assert (by["leads"]["start_date"], by["leads"]["date_text"], by["leads"]["ended"]) == (
        "2022-05",
        "in May 2022",
        False,
    )
    assert (by["investsIn"]["amount"], by["investsIn"]["amount_value"], by["investsIn"]["stake_percent"]) == (
        "$40 million",
        40000000.0,
        12.0,
    )


def test_graph_page_data_as_of(time_client):
    def data(**params):
        r = time_client.get("/graph", params=params)
        assert r.status_code == 200, r.text
        return r.text, {
            (e["from"].rsplit("/", 1)[-1], e["predicate"], e["to"].rsplit("/", 1)[-1]): e
            for e in page_data(r.text)["edges"]
        }

    _, early = data(as_of="2020-06-30")
    assert set(early) == {WORKS} and early[WORKS]["ended"] is False
    _, mid = data(as_of="2023-06-30")
    assert set(mid) == {WORKS, LEADS, STAKE} and not any(e["ended"] for e in mid.values())
    html, late = data(as_of="2025-01-01")
    assert {k for k, e in late.items() if e["ended"]} == {WORKS, LEADS}
    assert late[WORKS]["end_date"] == "2024-08" and late[WORKS]["dashes"] == ENDED_DASHES
    assert late[WORKS]["color"]["color"] == ENDED_COLOR and late[STAKE]["dashes"] is False
    assert 'name="include_ended" id="f-ended" value="1" checked' in html and "ended (over by the day shown)" in html
    # Hidden by the box, not dropped: the page can show them again without asking.
    html, hidden = data(as_of="2025-01-01", include_ended="0")
    assert set(hidden) == set(late) and page_data(html)["filters"]["include_ended"] is False
    assert 'name="include_ended" id="f-ended" value="1">' in html


def test_entity_page_lists_past_relations_under_their_own_heading(time_client):
    html = time_client.get("/entity/helix-robotics").text
    current, _, past = html.partition('<h2 id="past">Past (2)</h2>')
    assert past, "no Past heading"
    assert "Northwind Capital" in current and "Dana Okafor" not in current.split('<h2 id="current">')[1]
    assert "worksFor" in past and "leads" in past and "ended 2024-08" in past
    assert "in August 2024" in past and tw.S_LEFT in past
    then = time_client.get("/entity/helix-robotics", params={"as_of": "2023-06-30"}).text
    assert 'id="past"' not in then and "Relations as of 2023-06-30 (3)" in then
    assert "ended 2024-08" not in then and tw.S_LEFT not in then
    assert 'value="2023-06-30"' in then
    dana = time_client.get("/entity/dana-okafor").text
    assert "No current relations recorded." in dana and "Past (2)" in dana


def hops(r) -> list[tuple]:
    assert r.status_code == 200, r.text
    return [
        (h["from"]["slug"], h["predicate"], h["to"]["slug"], h["direction"], h["ended"], h["end_date"])
        for h in r.json()["hops"]
    ]


def test_paths_as_of_a_day_go_through_the_relations_of_that_day(time_client):
    def path(**params):
        return time_client.get("/paths", params={"from": "Dana Okafor", "to": "Northwind Capital", **params})

    in_2023 = [
        ("dana-okafor", "worksFor", "helix-robotics", "forward", False, None),
        ("helix-robotics", "investsIn", "northwind-capital", "backward", False, None),
    ]
    assert hops(path(as_of="2023-06-30")) == in_2023
    # By 2025 her roles at Helix are over: the graph of that day has no chain to her.
    gone = path(as_of="2025-01-01")
    assert gone.status_code == 404
    assert gone.json()["detail"] == (
        "'Dana Okafor' has no relations in this graph as of 2025-01-01 "
        "(ended ones are left out; include_ended=true counts them)"
    )
    # Counted on request, and flagged: the first step is a relation that ended in August 2024.
    assert hops(path(as_of="2025-01-01", include_ended="true")) == [
        ("dana-okafor", "worksFor", "helix-robotics", "forward", True, "2024-08"),
        in_2023[1],
    ]
    # Without a day the whole history counts, unless ended relations are left out.
    assert hops(path())[0][4] is True
    assert path(include_ended="false").status_code == 404
    assert path(as_of="2019-02-28").status_code == 404


def test_a_path_shows_an_active_relation_before_an_ended_one(tmp_path):
    s = "Dana Okafor now partners with Helix Robotics on its sensors."
    later = tw.extraction(
        "Okafor and Helix",
        "https://news.example/okafor-partner",
        date(2024, 10, 1),
        [s],
        [(s, tw.DANA, "partnersWith", tw.HELIX, {})],
    )
    store = tmp_path / "store"
    with LocalStore(store) as st:
        tw.load(st, [*tw.EXTRACTIONS, later])
    with make_client(store) as client:
        r = client.get(
            "/paths",
            params={"from": "dana-okafor", "to": "helix-robotics", "as_of": "2025-01-01", "include_ended": "true"},
        )
        # worksFor and leads (ended) have two sources each, the partnership one: it is still shown.
        assert hops(r) == [("dana-okafor", "partnersWith", "helix-robotics", "forward", False, None)]
        r = client.get(
            "/paths",
            params={"from": "dana-okafor", "to": "helix-robotics", "as_of": "2024-09-30", "include_ended": "true"},
        )
        assert hops(r) == [("dana-okafor", "worksFor", "helix-robotics", "forward", True, "2024-08")]


def test_analytics_as_of_rank_and_split_the_graph_of_that_day(time_client):
    def ranked(**params):
        r = time_client.get("/analytics/centrality", params={"measure": "degree", **params})
        assert r.status_code == 200, r.text
        return {x["entity"]["label"] for x in r.json()}

    def groups(**params):
        r = time_client.get("/analytics/communities", params=params)
        assert r.status_code == 200, r.text
        return sorted(sorted(m["slug"] for m in g["members"]) for g in r.json())

    everyone = {"Helix Robotics", "Northwind Capital", "Dana Okafor"}
    assert ranked(as_of="2023-06-30") == everyone
    assert ranked(as_of="2025-01-01") == {"Helix Robotics", "Northwind Capital"}
    assert ranked(as_of="2025-01-01", include_ended="true") == everyone
    assert ranked() == everyone and ranked(include_ended="false") == {"Helix Robotics", "Northwind Capital"}
    assert ranked(as_of="2019-02-28") == set()
    assert groups(as_of="2025-01-01") == [["helix-robotics", "northwind-capital"]]
    assert groups(as_of="2020") == [["dana-okafor", "helix-robotics"]]
    assert groups() == [["dana-okafor", "helix-robotics", "northwind-capital"]]


TIME_ROUTES = [
    ("/relations", {}),
    ("/entities/dana-okafor", {}),
    ("/graph", {}),
    ("/entity/dana-okafor", {}),
    ("/paths", {"from": "Dana Okafor", "to": "Northwind Capital"}),
    ("/analytics/centrality", {}),
    ("/analytics/communities", {}),
]


@pytest.mark.parametrize("path, params", TIME_ROUTES, ids=[p for p, _ in TIME_ROUTES])
@pytest.mark.parametrize("bad", ["last tuesday", "2024-13-01", "2024-02-30"])
def test_a_malformed_as_of_is_a_400_with_one_line(time_client, path, params, bad):
    r = time_client.get(path, params={**params, "as_of": bad})
    assert r.status_code == 400
    detail = r.json()["detail"]
    assert re.fullmatch(r"as_of must be a date YYYY-MM-DD \(or a month YYYY-MM, or a year YYYY\), got '.*'", detail)


def test_named_query_parameter_defaults_over_http(time_client):
    # investment-totals declares currency = all: a client may leave it out
    r = time_client.get("/queries/investment-totals/results", headers={"Accept": "application/sparql-results+json"})
    assert r.status_code == 200, r.text
    rows = r.json()["results"]["bindings"]
    assert [(b["investorLabel"]["value"], b["currencyCode"]["value"]) for b in rows] == [("Northwind Capital", "USD")]
    assert time_client.get("/queries/investment-totals/results", params={"currency": "usd!"}).status_code in (400, 422)
