"""The time rule (docs/TIME.md) through the projection, the entity reader and the network view.

A real Oxigraph store on disk holds one career told by three articles (tests/timeworld.py):
joined Helix in March 2019 (told in 2021), chief executive from May 2022, left in August
2024. The extra articles of the rule's corner cases are loaded into the same store.
"""

from __future__ import annotations

from datetime import date

import pytest

from kg import graphdata
from kg.analytics import centrality, to_networkx
from kg.namespaces import ENTITY
from kg.store import LocalStore
from kg.timeline import fold, parse_day
from kg.viz import ENDED_COLOR, ENDED_DASHES, PREDICATE_COLOR, view_from_store
from tests import timeworld as tw


@pytest.fixture
def career(tmp_path):
    store = LocalStore(tmp_path / "store")
    tw.load(store, tw.EXTRACTIONS)
    yield store
    store.close()


def edges(G) -> dict[tuple[str, str, str], dict]:
    return {(s.removeprefix(ENTITY), k, o.removeprefix(ENTITY)): d for s, o, k, d in G.edges(keys=True, data=True)}


def states(G) -> dict[tuple[str, str, str], tuple]:
    return {k: (d["ended"], d["start_date"], d["end_date"]) for k, d in edges(G).items()}


WORKS = ("dana-okafor", "worksFor", "helix-robotics")
LEADS = ("dana-okafor", "leads", "helix-robotics")
STAKE = ("northwind-capital", "investsIn", "helix-robotics")


def test_the_graph_as_it_stood_in_2020_2023_and_2025(career):
    # 2020: she worked there (a 2021 profile says since March 2019), not yet chief executive.
    assert states(to_networkx(career, as_of="2020-06-30")) == {WORKS: (False, "2019-03", None)}
    assert states(to_networkx(career, as_of="2023-06-30")) == {
        WORKS: (False, "2019-03", None),
        LEADS: (False, "2022-05", None),
        STAKE: (False, "2022-05-03", None),
    }
    # 2025: both roles are over. The graph of that day holds only the active stake...
    assert states(to_networkx(career, as_of="2025-01-01")) == {STAKE: (False, "2022-05-03", None)}
    # ... and the history of that day flags the two roles ended in August 2024.
    assert states(to_networkx(career, as_of="2025-01-01", include_ended=True)) == {
        WORKS: (True, "2019-03", "2024-08"),
        LEADS: (True, "2022-05", "2024-08"),
        STAKE: (False, "2022-05-03", None),
    }
    # Without a day: the whole history, ended relations kept and flagged.
    assert states(to_networkx(career)) == states(to_networkx(career, as_of="2025", include_ended=True))
    assert states(to_networkx(career, include_ended=False)) == {STAKE: (False, "2022-05-03", None)}


def test_as_of_reads_claim_days_not_publication_days(career):
    # Nothing was published before 2021, yet the relation stood from March 2019 ...
    assert WORKS in edges(to_networkx(career, as_of="2019-03-01"))
    assert not to_networkx(career, as_of="2019-02-28").number_of_edges()
    # ... while since/until still select articles by their publication day.
    assert set(edges(to_networkx(career, until="2020-12-31"))) == set()
    assert set(edges(to_networkx(career, since="2024-01-01"))) == {WORKS, LEADS}
    # The ending counts from August 2024, a month before the article that told it.
    assert edges(to_networkx(career, as_of="2024-08-15", include_ended=True))[WORKS]["ended"] is True
    assert edges(to_networkx(career, as_of="2024-07-31", include_ended=True))[WORKS]["ended"] is False


def test_sources_and_dates_count_the_statements_placed_by_the_day(career):
    early = edges(to_networkx(career, as_of="2023-06-30"))[WORKS]
    assert (early["sources"], early["first"], early["last"]) == (1, "2021-02-01", "2021-02-01")
    later = edges(to_networkx(career, as_of="2025-01-01", include_ended=True))[WORKS]
    assert (later["sources"], later["first"], later["last"]) == (2, "2021-02-01", "2024-09-16")


def test_analytics_as_of_a_day_count_only_active_relations(career):
    ranked = {r["label"] for r in centrality(to_networkx(career, as_of="2025-01-01"), "degree", top=0)}
    assert ranked == {"Helix Robotics", "Northwind Capital"}
    ranked = {r["label"] for r in centrality(to_networkx(career, as_of="2023-06-30"), "degree", top=0)}
    assert ranked == {"Helix Robotics", "Northwind Capital", "Dana Okafor"}


def test_a_later_restatement_reopens_only_when_its_claim_day_is_later(career):
    # Published after the ending, but about June 2024: the ending (August) stays the latest.
    s = "Helix Robotics chief executive Dana Okafor spoke at a June 2024 conference."
    tw.load(
        career,
        [
            tw.extraction(
                "Conference notes",
                "https://news.example/conf",
                date(2024, 11, 20),
                [s],
                [(s, tw.DANA, "leads", tw.HELIX, dict(date="2024-06", date_text="June 2024"))],
            )
        ],
    )
    assert states(to_networkx(career, include_ended=True))[LEADS] == (True, "2022-05", "2024-08")
    # A present-tense statement published in March 2025 is later than the ending: it reopens.
    s = "Dana Okafor leads Helix Robotics again."
    tw.load(
        career,
        [
            tw.extraction(
                "Okafor returns",
                "https://news.example/return",
                date(2025, 3, 10),
                [s],
                [(s, tw.DANA, "leads", tw.HELIX, {})],
            )
        ],
    )
    assert states(to_networkx(career))[LEADS] == (False, "2022-05", None)
    assert states(to_networkx(career, as_of="2025-01-01", include_ended=True))[LEADS] == (True, "2022-05", "2024-08")
    assert states(to_networkx(career, as_of="2025-06-30"))[LEADS] == (False, "2022-05", None)
    # The ending erased nothing: all four statements are still evidence.
    assert edges(to_networkx(career))[LEADS]["mentions"] == 4


def test_an_ending_and_an_opening_on_the_same_day_read_as_ended(career):
    a = "Northwind Capital and Helix Robotics ended their partnership on 1 April 2023."
    b = "Helix Robotics began a partnership with Northwind Capital on 1 April 2023."
    tw.load(
        career,
        [
            tw.extraction(
                "Partnership over",
                "https://news.example/p-end",
                date(2023, 4, 3),
                [a],
                [
                    (
                        a,
                        tw.NORTHWIND,
                        "partnersWith",
                        tw.HELIX,
                        dict(ended=True, date="2023-04-01", end_date="2023-04-01"),
                    )
                ],
            ),
            tw.extraction(
                "Partnership begins",
                "https://news.example/p-start",
                date(2023, 4, 5),
                [b],
                [(b, tw.HELIX, "partnersWith", tw.NORTHWIND, dict(date="2023-04-01", start_date="2023-04-01"))],
            ),
        ],
    )
    pair = ("helix-robotics", "partnersWith", "northwind-capital")
    assert states(to_networkx(career))[pair] == (True, "2023-04-01", "2023-04-01")
    assert states(to_networkx(career, as_of="2023-04-01", include_ended=True))[pair] == (
        True,
        "2023-04-01",
        "2023-04-01",
    )
    assert pair not in edges(to_networkx(career, as_of="2023-04-01"))
    # The entity reader applies the same rule.
    helix = graphdata.get_entity(career, "helix-robotics")
    partner = next(r for r in helix["relations"] if r["predicate"] == "partnersWith")
    assert (partner["ended"], partner["start_date"], partner["end_date"]) == (True, "2023-04-01", "2023-04-01")


def test_undated_statements_are_left_out_of_as_of_views(career):
    s = "Dana Okafor advises Northwind Capital."
    t = "Dana Okafor no longer works for Helix Robotics."
    tw.load(
        career,
        [
            tw.extraction(
                "An undated note",
                "https://news.example/undated",
                None,
                [s, t],
                [(s, tw.DANA, "worksFor", tw.NORTHWIND, {}), (t, tw.DANA, "worksFor", tw.HELIX, dict(ended=True))],
            )
        ],
    )
    advises = ("dana-okafor", "worksFor", "northwind-capital")
    # Without a day it counts (as older than any dated statement) ...
    assert states(to_networkx(career))[advises] == (False, None, None)
    # ... but no day can place it, so no as-of view holds it.
    for day in ("2019-01-01", "2023-06-30", "2030-01-01"):
        assert advises not in edges(to_networkx(career, as_of=day, include_ended=True))
    # An undated ending is older than the dated ones: it decides nothing over them.
    assert states(to_networkx(career))[WORKS] == (True, "2019-03", "2024-08")
    assert states(to_networkx(career, as_of="2023-06-30"))[WORKS] == (False, "2019-03", None)
    dana = graphdata.get_entity(career, "dana-okafor", as_of=date(2023, 6, 30))
    assert "Northwind Capital" not in {r["other"]["label"] for r in dana["relations"]}


def test_entity_reader_as_of_and_its_evidence_fields(career):
    def rels(as_of):
        e = graphdata.get_entity(career, "dana-okafor", as_of=as_of)
        return {(r["predicate"], r["ended"], r["start_date"], r["end_date"]) for r in e["relations"]}

    assert rels(date(2020, 6, 30)) == {("worksFor", False, "2019-03", None)}
    assert rels(date(2023, 6, 30)) == {("worksFor", False, "2019-03", None), ("leads", False, "2022-05", None)}
    assert rels(date(2025, 1, 1)) == {("worksFor", True, "2019-03", "2024-08"), ("leads", True, "2022-05", "2024-08")}
    assert rels(None) == rels(date(2025, 1, 1))
    helix = graphdata.get_entity(career, "helix-robotics")
    assert [r["ended"] for r in helix["relations"]] == [False, True, True]  # current first
    stake = helix["relations"][0]["evidence"][0]
    assert (stake["amount"], stake["amount_value"], stake["amount_currency"], stake["stake_percent"]) == (
        "$40 million",
        40000000.0,
        "USD",
        12.0,
    )
    left = next(ev for r in helix["relations"] if r["predicate"] == "worksFor" for ev in r["evidence"] if ev["ended"])
    assert (left["claim_date"], left["end_date"], left["date_text"], str(left["date"])) == (
        "2024-08",
        "2024-08",
        "in August 2024",
        "2024-09-16",
    )
    # The article reader gives each mention its own fields, as the article states them.
    art = graphdata.get_article(career, tw.EXTRACTIONS[2].article.id)
    assert {(m["predicate"], m["ended"], m["end_date"]) for m in art["mentions"]} == {
        ("worksFor", True, "2024-08"),
        ("leads", True, "2024-08"),
    }


def test_network_view_draws_ended_relations_apart_and_replays_them(career):
    view = view_from_store(career, as_of="2025-01-01")
    by = {(e["from"].removeprefix(ENTITY), e["predicate"], e["to"].removeprefix(ENTITY)): e for e in view.edges}
    works, stake = by[WORKS], by[STAKE]
    assert works["ended"] and works["end_date"] == "2024-08"
    assert works["dashes"] == ENDED_DASHES and works["color"]["color"] == ENDED_COLOR
    assert stake["dashes"] is False and stake["color"]["color"] == PREDICATE_COLOR["investsIn"]
    assert works["title"].splitlines()[-1] == "ended 2024-08 (since 2019-03)"
    assert works["changes"] == [["2019-03", False], ["2024-08", True]]
    assert [ev["ended"] for ev in sorted(works["evidence"], key=lambda ev: ev["claim_date"])] == [False, True]
    assert view.filters["include_ended"] is True and view.filters["as_of"] == "2025-01-01"
    # As of 2023 nothing has ended yet, and the evidence of later days is not shown.
    early = view_from_store(career, as_of="2023", show_ended=False)
    works = next(e for e in early.edges if e["predicate"] == "worksFor")
    assert works["ended"] is False and works["changes"] == [["2019-03", False]]
    assert [ev["sentence"] for ev in works["evidence"]] == [tw.S_JOINED]
    assert early.filters["include_ended"] is False


def test_changes_replay_the_same_answer_as_fold():
    from kg.timeline import changes

    statements = [
        ("2019-03", False),
        ("2021-02-01", False),
        ("2024-08", True),
        ("2024-09-16", True),
        ("2025-03-10", False),
        (None, True),
        ("2025-03-10", True),
    ]
    ch = changes(statements)
    for day in ("2019-02-28", "2019-03-01", "2022-01-01", "2024-08-31", "2024-12-31", "2025-03-10", "2026-01-01"):
        st = fold(statements, parse_day(day))
        upto = [c for c in ch if c[0] <= day]
        assert (st is None) == (not upto), day
        if st is not None:
            opens = [c[0] for c in upto if not c[1]]
            assert (st.ended, st.end_date, st.start_date) == (
                upto[-1][1],
                upto[-1][0] if upto[-1][1] else None,
                opens[0] if opens else None,
            ), day


@pytest.mark.parametrize("text", ["last tuesday", "2024-13", "2024-02-30", "24-01-01", "2024/01/01"])
def test_a_malformed_day_is_one_clear_line(career, text):
    with pytest.raises(
        ValueError, match=r"^as_of must be a date YYYY-MM-DD \(or a month YYYY-MM, or a year YYYY\), got "
    ) as err:
        to_networkx(career, as_of=text)
    assert "\n" not in str(err.value)
    assert parse_day("2024-02") == date(2024, 2, 29) and parse_day("2024", "since", last=False) == date(2024, 1, 1)


def test_cli_analytics_and_viz_take_as_of_and_ended(tmp_path):
    import json

    from typer.testing import CliRunner

    from aikg.cli_analytics import analytics_app
    from tests.api.test_graph_page import page_data

    store = str(tw.build_store(tmp_path / "store"))

    def ranked(*args):
        result = CliRunner().invoke(analytics_app, ["centrality", "--store", store, "--json", *args])
        assert result.exit_code == 0, result.output
        return {r["label"] for r in json.loads(result.output)}

    everyone = {"Helix Robotics", "Northwind Capital", "Dana Okafor"}
    assert ranked("--as-of", "2023-06-30") == everyone
    assert ranked("--as-of", "2025-01-01") == {"Helix Robotics", "Northwind Capital"}
    assert ranked("--as-of", "2025-01-01", "--ended") == everyone
    assert ranked() == everyone and ranked("--no-ended") == {"Helix Robotics", "Northwind Capital"}
    bad = CliRunner().invoke(analytics_app, ["communities", "--store", store, "--as-of", "yesterday"])
    assert bad.exit_code == 2
    assert bad.output.strip() == (
        "aikg: error: --as-of must be a date YYYY-MM-DD (or a month YYYY-MM, or a year YYYY), got 'yesterday'"
    )

    import typer

    from aikg.cli_viz import viz

    app = typer.Typer()
    app.command()(viz)
    out = tmp_path / "graph.html"
    result = CliRunner().invoke(app, ["--store", store, "-o", str(out), "--as-of", "2025-01-01", "--no-ended"])
    assert result.exit_code == 0, result.output
    data = page_data(out.read_text(encoding="utf-8"))
    assert data["filters"]["include_ended"] is False and data["filters"]["as_of"] == "2025-01-01"
    assert sorted(e["predicate"] for e in data["edges"] if e["ended"]) == ["leads", "worksFor"]
