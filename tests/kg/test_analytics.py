"""The networkx projection and its measures, on the hand-built store of conftest.py."""

from __future__ import annotations

import re

import pytest

from kg.analytics import (
    centrality,
    communities,
    ego_graph,
    resolve_entity,
    shortest_path,
    to_networkx,
    top_entities,
)
from kg.errors import NotFoundError
from kg.namespaces import ENTITY
from kg.store import LocalStore, count

MSFT, OPENAI, ANTHROPIC, MISTRAL = (ENTITY + s for s in ("microsoft", "openai", "anthropic", "mistral-ai"))


def test_nodes_carry_label_type_wikidata_and_aliases(world):
    G = to_networkx(world)
    assert G.nodes[MSFT] == {
        "label": "Microsoft",
        "type": "Organization",
        "wikidata": "Q2283",
        "aliases": ["MSFT", "Microsoft Corporation"],
    }
    assert G.nodes[ENTITY + "mustafa-suleyman"]["type"] == "Person"


def test_edge_counts_distinct_articles_and_keeps_dated_span(world):
    G = to_networkx(world)
    edge = G.edges[MSFT, OPENAI, "investsIn"]
    # four mentions in three articles, one of them undated
    assert edge["sources"] == 3
    assert edge["mentions"] == 4
    assert (edge["first"], edge["last"]) == ("2019-07-22", "2023-01-23")
    assert edge["confidence"] == pytest.approx(0.95)
    assert edge["family"] == "cooperation" and edge["symmetric"] is False


def test_as_of_answers_what_was_known_then(world):
    early = to_networkx(world, as_of="2020-01-01")
    assert set(early.edges(keys=True)) == {(MSFT, OPENAI, "investsIn"), (MSFT, OPENAI, "suppliesTo")}
    assert early.edges[MSFT, OPENAI, "investsIn"]["sources"] == 1
    later = to_networkx(world, as_of="2024-01-01")
    assert later.has_edge(ENTITY + "amazon", ANTHROPIC, "investsIn")
    assert not later.has_edge(MSFT, MISTRAL, "investsIn")
    assert to_networkx(world, as_of="2024-02-26").has_edge(MSFT, MISTRAL, "investsIn")


def test_since_and_min_sources_filter_evidence(world):
    recent = to_networkx(world, since="2024-01-01")
    assert not recent.has_edge(MSFT, OPENAI, "investsIn")
    assert recent.has_edge(MSFT, MISTRAL, "investsIn")
    corroborated = to_networkx(world, min_sources=2)
    assert list(corroborated.edges(keys=True)) == [(MSFT, OPENAI, "investsIn")]


def test_hedged_and_confidence_filters(world):
    G = to_networkx(world)
    assert G.edges[ENTITY + "google", ANTHROPIC, "investsIn"]["hedged"] is True
    assert not to_networkx(world, include_hedged=False).has_edge(ENTITY + "google", ANTHROPIC)
    confident = to_networkx(world, min_confidence=0.85)
    assert confident.has_edge(MSFT, OPENAI, "investsIn")
    assert not confident.has_edge(OPENAI, MISTRAL) and not confident.has_edge(MISTRAL, OPENAI)


def test_predicate_and_type_filters(world):
    G = to_networkx(world, predicates=["competesWith"])
    assert {k for _, _, k in G.edges(keys=True)} == {"competesWith"}
    assert set(G) == {OPENAI, ANTHROPIC, MISTRAL}
    people = to_networkx(world, types=["Organization"])
    assert ENTITY + "mustafa-suleyman" not in people and MSFT in people
    with pytest.raises(ValueError, match="investsIn"):
        to_networkx(world, predicates=["fundedBy"])
    with pytest.raises(ValueError, match="YYYY-MM-DD"):
        to_networkx(world, as_of="last tuesday")


def test_centrality_ranks_the_hub_first(world):
    G = to_networkx(world)
    for measure in ("pagerank", "degree", "betweenness"):
        ranked = centrality(G, measure, top=3)
        assert ranked[0]["label"] == "Microsoft", measure
        assert len(ranked) == 3
    with pytest.raises(ValueError, match="pagerank, degree, betweenness"):
        centrality(G, "eigenvector")


def test_communities_put_anthropic_backers_together(world):
    groups = communities(to_networkx(world))
    assert len(groups[0]) >= len(groups[-1])
    anthro = next(g for g in groups if any(m["id"] == ANTHROPIC for m in g))
    assert {m["label"] for m in anthro} >= {"Amazon", "Google"}
    assert communities(to_networkx(world)) == groups


def test_shortest_path_names_predicates_and_directions(world):
    G = to_networkx(world)
    hops = shortest_path(G, "Copilot", "Mustafa Suleyman")
    assert [(h["from_label"], h["predicate"], h["to_label"], h["direction"]) for h in hops] == [
        ("Copilot", "develops", "Microsoft", "backward"),
        ("Microsoft", "subsidiaryOf", "Microsoft AI", "backward"),
        ("Microsoft AI", "leads", "Mustafa Suleyman", "backward"),
    ]
    with pytest.raises(NotFoundError, match="at most 2"):
        shortest_path(G, "Copilot", "Mustafa Suleyman", max_length=2)
    with pytest.raises(NotFoundError):
        shortest_path(G, "Copilot", "Nobody Inc")


def test_symmetric_edge_reads_forward_from_either_side(world):
    G = to_networkx(world)
    (hop,) = shortest_path(G, "OpenAI", "Anthropic")
    assert (hop["predicate"], hop["direction"]) == ("competesWith", "forward")
    (hop,) = shortest_path(G, "Anthropic", "OpenAI")
    assert (hop["predicate"], hop["direction"]) == ("competesWith", "forward")


def test_ego_and_top_subgraphs(world):
    G = to_networkx(world)
    ego = ego_graph(G, "Anthropic")
    assert set(ego) == {ANTHROPIC, OPENAI, ENTITY + "amazon", ENTITY + "google"}
    assert ego.nodes[ANTHROPIC]["label"] == "Anthropic"
    top = top_entities(G, 2)
    assert set(top) == {MSFT, OPENAI}
    assert top.has_edge(MSFT, OPENAI, "investsIn")


@pytest.mark.parametrize(
    "text",
    [
        "Microsoft",
        "microsoft",
        "MSFT",
        "Microsoft Corporation",
        "Q2283",
        "wd:Q2283",
        "http://www.wikidata.org/entity/Q2283",
        ENTITY + "microsoft",
        "Microsof",
    ],
)
def test_resolve_entity_by_any_name(world, text):
    assert resolve_entity(world, text) == MSFT


def test_resolve_prefers_exact_match_over_prefix(world):
    # "Microsoft" is also a prefix of "Microsoft AI"
    assert resolve_entity(world, "Microsoft AI") == ENTITY + "microsoft-ai"
    assert resolve_entity(world, "the chatgpt maker") == OPENAI


@pytest.mark.parametrize("text", ['"} ; DROP ALL', "x' } ; DROP ALL ; #", "", "Nobody Inc"])
def test_resolve_treats_hostile_text_as_data(world, text):
    before = count(world, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
    assert resolve_entity(world, text) is None
    assert count(world, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }") == before > 0


def test_empty_store_gives_empty_graph(tmp_path):
    from kg.store import LocalStore

    with LocalStore(tmp_path / "empty") as store:
        G = to_networkx(store)
    assert G.number_of_nodes() == 0
    assert centrality(G) == [] and communities(G) == []


@pytest.fixture
def store_dir(tmp_path):
    """A closed store directory, as the CLI finds it."""
    from tests.kg.conftest import build_store

    path = tmp_path / "cli-store"
    build_store(path).close()
    return str(path)


def _run(*args):
    from typer.testing import CliRunner

    from aikg.cli_analytics import analytics_app

    return CliRunner().invoke(analytics_app, list(args))


def test_cli_centrality_table_and_json(store_dir):
    table = _run("centrality", "--store", store_dir, "--top", "3")
    assert table.exit_code == 0, table.output
    assert table.output.index("Microsoft") < table.output.index("OpenAI")
    as_json = _run("centrality", "--store", store_dir, "--measure", "degree", "--json", "--as-of", "2020-01-01")
    assert as_json.exit_code == 0
    import json

    assert {r["label"] for r in json.loads(as_json.output)} == {"Microsoft", "OpenAI"}


def test_cli_path_resolves_names_and_shows_predicates(store_dir):
    result = _run("path", "Copilot", "Q7407093", "--store", store_dir)
    assert result.exit_code == 0, result.output
    assert "Sam Altman" in result.output and "investsIn ->" in result.output and "<- develops" in result.output
    missing = _run("path", "Copilot", "Nobody Inc", "--store", store_dir)
    assert missing.exit_code == 1
    assert "Nobody Inc" in missing.output


def test_cli_communities_and_clear_errors(store_dir, tmp_path):
    result = _run("communities", "--store", store_dir, "--json")
    assert result.exit_code == 0
    import json

    groups = json.loads(result.output)
    assert {m["label"] for m in groups[0]} >= {"Microsoft", "OpenAI"}
    absent = _run("centrality", "--store", str(tmp_path / "nowhere"))
    assert absent.exit_code == 1 and "no aikg store" in absent.output
    assert not (tmp_path / "nowhere").exists()
    bad = _run("centrality", "--store", store_dir, "--measure", "closeness")
    assert bad.exit_code == 2 and "pagerank, degree, betweenness" in bad.output


def test_export_command_writes_file(store_dir, tmp_path):
    import networkx as nx
    from typer.testing import CliRunner

    from aikg.cli import app

    out = tmp_path / "g.graphml"
    done = CliRunner().invoke(app, ["export", "--store", str(store_dir), "--format", "graphml", "-o", str(out)])
    assert done.exit_code == 0, done.output
    assert nx.read_graphml(out).nodes[MSFT]["label"] == "Microsoft"


@pytest.mark.slow
def test_sample_corpus_graph(sample_store):
    G = to_networkx(sample_store)
    # the corpus is about Microsoft and OpenAI; which of the two leads depends on extraction
    assert {r["label"] for r in centrality(G, top=2)} == {"Microsoft", "OpenAI"}
    hops = shortest_path(G, "Mistral AI", "Anthropic")
    assert hops[0]["from_label"] == "Mistral AI" and hops[-1]["to_label"] == "Anthropic"
    assert len(hops) <= 4
    early = to_networkx(sample_store, as_of="2019-12-31")
    assert early.has_edge(MSFT, OPENAI, "investsIn")
    assert ENTITY + "mistral-ai" not in early
    groups = communities(G)
    mistral = next(g for g in groups if any(m["label"] == "Mistral AI" for m in g))
    assert "Arthur Mensch" in {m["label"] for m in mistral}


def _scan_answer(store, text: str) -> str | None:
    """The case-insensitive label match as the full scan ranks it: canonical first, then shorter, then IRI."""
    rows = store.query(
        "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> PREFIX skos: <http://www.w3.org/2004/02/skos/core#> "
        "SELECT ?e ?rank ?l WHERE { { ?e rdfs:label ?l BIND(0 AS ?rank) } UNION { ?e skos:prefLabel ?l BIND(0 AS ?rank) }"
        " UNION { ?e skos:altLabel ?l BIND(1 AS ?rank) } }"
    )
    found = sorted(
        (int(r["rank"].value), len(r["l"].value), r["e"].value)
        for r in rows
        if r["e"].value.startswith(ENTITY) and r["l"].value.lower() == text.lower()
    )
    return found[0][2] if found else None


def test_resolve_by_label_picks_what_the_label_scan_picks(world):
    labels = [
        r["l"].value
        for r in world.query(
            "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> PREFIX skos: <http://www.w3.org/2004/02/skos/core#> "
            "SELECT DISTINCT ?l WHERE { { ?e rdfs:label ?l } UNION { ?e skos:altLabel ?l } }"
        )
    ]
    assert len(labels) > 20
    checked = 0
    for label in labels:
        for text in {label, label.lower(), label.upper(), label.title()}:
            if text.startswith(("http://", "https://")) or re.fullmatch(
                r"(?:wd:)?[Qq]\d+|[a-z0-9]+(?:-[a-z0-9]+)*", text
            ):
                continue  # an IRI, Wikidata id or slug is looked up before any label
            assert resolve_entity(world, text) == _scan_answer(world, text), text
            checked += 1
    assert checked > 40


def test_resolve_by_label_when_labels_differ_only_in_case(tmp_path):
    # two entities whose names differ in case alone: aikg gives them one slug, so one IRI;
    # a name with no letter or digit gets a hashed slug each, and the scan decides
    from kg.loader import ingest
    from kg.model import Article, Entity, Extraction, RelationMention

    upper, lower = Entity("ACME Labs", "Organization"), Entity("Acme Labs", "Organization")
    omega, small = Entity("Ω", "Organization"), Entity("ω", "Organization")
    text = "ACME Labs works with Acme Labs; Ω works with ω."
    rels = (
        RelationMention(upper, "partnersWith", lower, 0.9, text, 0, len(text)),
        RelationMention(omega, "partnersWith", small, 0.9, text, 0, len(text)),
    )
    ex = Extraction(Article(text=text, url="https://news.example/case"), (upper, lower, omega, small), rels, "t")
    with LocalStore(tmp_path / "s") as store:
        ingest(store, [ex.article], lambda batch: [ex])
        for name in ("ACME Labs", "Acme Labs", "acme labs", "Ω", "ω"):
            assert resolve_entity(store, name) == _scan_answer(store, name) is not None, name
        assert resolve_entity(store, "ACME Labs") == ENTITY + "acme-labs"
