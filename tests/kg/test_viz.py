"""kg.viz: what the page is built from, and the HTML it embeds it in (no browser here)."""

from __future__ import annotations

import json
import re
import time
from pathlib import Path

import networkx as nx
import pytest
import typer
from typer.testing import CliRunner

from aikg.cli_viz import viz
from api.render import render_graph_page
from kg.analytics import to_networkx
from kg.backend import open_store
from kg.errors import NotFoundError
from kg.model import PREDICATES
from kg.namespaces import ENTITY
from kg.viz import (
    ENDED_COLOR,
    FIRST_VIEW,
    PREDICATE_COLOR,
    TYPE_STYLE,
    build_view,
    cached_layout,
    script_json,
    spring_positions,
    view_from_store,
)
from tests.browser import sample


def ent(slug: str) -> str:
    return ENTITY + slug


@pytest.fixture
def store(tmp_path: Path):
    st = open_store(sample.build_store(tmp_path / "store"))
    yield st
    st.close()


def page_data(page: str) -> dict:
    m = re.search(r'<script type="application/json" id="graph-data">(.*?)</script>', page, re.S)
    assert m, "no embedded graph data"
    return json.loads(m.group(1))


def edge(view, s: str, p: str, o: str) -> dict:
    return next(e for e in view.edges if (e["from"], e["predicate"], e["to"]) == (ent(s), p, ent(o)))


def test_small_graph_is_drawn_whole_laid_out_here_the_same_every_time(store):
    view = view_from_store(store)
    assert {n["id"] for n in view.nodes} == {
        ent(e.slug)
        for e in (
            sample.MSFT,
            sample.OPENAI,
            sample.ANTHROPIC,
            sample.AMAZON,
            sample.GOOGLE,
            sample.NVIDIA,
            sample.SULEYMAN,
            sample.MSAI,
            sample.GPT4,
            sample.COPILOT,
            sample.XSS,
        )
    }
    assert len(view.edges) == 9
    assert not view.physics and view.notes == [] and view.first == 11
    assert all("x" in n and "y" in n for n in view.nodes)
    again = view_from_store(store)
    assert [(n["x"], n["y"]) for n in again.nodes] == [(n["x"], n["y"]) for n in view.nodes]
    # Browser physics is still there for a caller who asks for it.
    assert view_from_store(store, layout_threshold=100).physics


def test_limit_keeps_the_most_central_and_says_so(store):
    view = view_from_store(store, limit=3)
    ids = {n["id"] for n in view.nodes}
    assert len(ids) == 3 and ent("microsoft") in ids and ent("openai") in ids
    assert view.notes == ["showing 3 of 11 entities, the most central"]


def test_focus_draws_the_ego_network(store):
    view = view_from_store(store, focus="Anthropic", depth=1)
    assert {n["id"] for n in view.nodes} == {ent("anthropic"), ent("amazon"), ent("openai"), ent("google")}
    assert view.focus == ent("anthropic")
    deeper = view_from_store(store, focus="anthropic", depth=2)
    assert ent("microsoft") in {n["id"] for n in deeper.nodes} and ent("gpt-4") in {n["id"] for n in deeper.nodes}


def test_focus_by_wikidata_id_and_unknown_focus(store):
    assert view_from_store(store, focus="Q2283").focus == ent("microsoft")
    view = view_from_store(store, focus="No Such Company")
    assert view.focus is None and len(view.nodes) == 11
    assert "no entity named 'No Such Company'" in view.notes[0]
    G = to_networkx(store)
    with pytest.raises(NotFoundError):
        build_view(G, focus="No Such Company")


def test_filters_reach_the_projection(store):
    only = view_from_store(store, predicates=["investsIn"])
    assert {e["predicate"] for e in only.edges} == {"investsIn"} and len(only.edges) == 3
    assert len(view_from_store(store, predicates="investsIn,leads").edges) == 4
    people = view_from_store(store, types=["Person", "Organization"])
    assert {n["type"] for n in people.nodes} == {"Person", "Organization"}
    assert [(e["from"], e["to"]) for e in view_from_store(store, min_sources=2).edges] == [
        (ent("microsoft"), ent("openai"))
    ]
    early = view_from_store(store, as_of="2023-12-31")
    assert {(e["predicate"], e["to"]) for e in early.edges} == {
        ("investsIn", ent("openai")),
        ("develops", ent("gpt-4")),
        ("investsIn", ent("anthropic")),
        ("competesWith", ent("openai")),
    }
    with pytest.raises(ValueError, match="unknown predicate"):
        view_from_store(store, predicates=["likes"])


def test_style_follows_type_family_direction_sources_and_hedging(store):
    view = view_from_store(store)
    by_id = {n["id"]: n for n in view.nodes}
    assert by_id[ent("mustafa-suleyman")]["shape"] == TYPE_STYLE["Person"][1]
    assert by_id[ent("gpt-4")]["color"]["background"] == TYPE_STYLE["AIModel"][0]
    assert by_id[ent("copilot")]["shape"] == TYPE_STYLE["Product"][1]
    assert by_id[ent("microsoft")]["size"] > by_id[ent("copilot")]["size"]
    invest = edge(view, "microsoft", "investsIn", "openai")
    rival = edge(view, "anthropic", "competesWith", "openai")
    assert (
        invest["color"]["color"] == PREDICATE_COLOR["investsIn"]
        and rival["color"]["color"] == PREDICATE_COLOR["competesWith"]
    )
    assert invest["arrows"]["to"]["enabled"] and not rival["arrows"]["to"]["enabled"]
    assert invest["width"] > rival["width"] and invest["sources"] == 2
    assert edge(view, "google", "investsIn", "anthropic")["dashes"] is True
    assert invest["dashes"] is False


def test_hover_title_is_plain_text_with_type_aliases_wikidata_degree(store):
    view = view_from_store(store)
    msft = next(n for n in view.nodes if n["id"] == ent("microsoft"))
    assert isinstance(msft["title"], str)
    assert msft["title"].splitlines() == [
        "Microsoft",
        "Type: Organization",
        "Aliases: MSFT",
        "Wikidata: Q2283",
        "Relations: 3",
    ]


def test_evidence_has_sentences_titles_dates_and_only_web_links(store):
    view = view_from_store(store)
    ev = edge(view, "microsoft", "investsIn", "openai")["evidence"]
    assert [(e["title"], e["date"], e["confidence"]) for e in ev] == [
        ("Microsoft bets big on OpenAI", "2023-01-23", 0.95),
        ("More Microsoft money", "2024-06-01", 0.8),
    ]
    assert ev[0]["sentence"] == sample.S_INVEST and ev[0]["url"] == "https://news.example/msft-openai"
    xss = next(e for e in view.edges if e["from"] == ent(sample.XSS.slug) or e["to"] == ent(sample.XSS.slug))
    assert xss["evidence"][0]["url"] is None  # the article's javascript: URL never becomes a link
    for since in ("2024-01-01", "2024"):
        later = view_from_store(store, since=since)
        assert [e["date"] for e in edge(later, "microsoft", "investsIn", "openai")["evidence"]] == ["2024-06-01"]
    early = view_from_store(store, as_of="2023")
    assert [e["date"] for e in edge(early, "microsoft", "investsIn", "openai")["evidence"]] == ["2023-01-23"]


def test_script_json_cannot_break_out_and_round_trips():
    hostile = {"a": "</script><script>alert(1)</script>", "b": "<!-- x", "c": "x\u2028y\u2029z & <b>"}
    text = script_json(hostile)
    assert "<" not in text and ">" not in text and "&" not in text
    assert "\u2028" not in text and "\u2029" not in text
    assert json.loads(text) == hostile


def test_page_is_self_contained_and_data_stays_inert(store):
    page = render_graph_page(view_from_store(store), title="<i>t</i>", entity_base="/entity/")
    # Four script elements, each closed once (vis-network's code holds a "<script>" string
    # literal, but no closing tag).
    assert page.count("</script>") == 4 and len(re.findall(r"^<script", page, re.M)) == 4
    assert "alert(1)" not in page.replace("onerror=alert(1)\\u003e", "").replace(
        "\\u003cscript\\u003ealert(1)\\u003c/script\\u003e", ""
    )
    assert "<img" not in page
    assert "<title>&lt;i&gt;t&lt;/i&gt;</title>" in page
    # Nothing loads from elsewhere: no external script/style/font/image reference.
    assert not re.search(r"<(script|link|img|iframe)[^>]*\s(src|href)=", page)
    assert not re.search(r"@import|url\(\s*['\"]?(https?:)?//", page)
    assert "default-src 'none'" in page
    data = page_data(page)
    assert len(data["nodes"]) == 11 and len(data["edges"]) == 9


def test_spring_positions_are_deterministic_and_keep_neighbours_close():
    G = nx.connected_caveman_graph(40, 10)  # 400 nodes in tight groups
    a = spring_positions(G, seed=1)
    assert a == spring_positions(G, seed=1)
    near = [abs(complex(*a[u]) - complex(*a[v])) for u, v in G.edges()]
    far = [abs(complex(*a[u]) - complex(*a[(u + 200) % 400])) for u in range(0, 400, 7)]
    assert sum(near) / len(near) < 0.3 * sum(far) / len(far)


@pytest.mark.slow
def test_layout_of_5000_nodes_takes_seconds_not_minutes():
    G = nx.barabasi_albert_graph(5000, 2, seed=3)
    started = time.perf_counter()
    pos = spring_positions(G)
    assert len(pos) == 5000
    assert time.perf_counter() - started < 20


def tree(n: int, *, extra_pairs: int = 0) -> nx.MultiDiGraph:
    """Return a graph of ``n`` entities, each investing in the one at index // 3, plus separate pairs."""
    G = nx.MultiDiGraph()
    for i in range(n + 2 * extra_pairs):
        G.add_node(f"{ENTITY}n{i}", label=f"N{i}", type="Organization", wikidata=None, aliases=[])
    links = [(i, i // 3) for i in range(1, n)] + [(n + 2 * k, n + 2 * k + 1) for k in range(extra_pairs)]
    for a, b in links:
        G.add_edge(
            f"{ENTITY}n{a}",
            f"{ENTITY}n{b}",
            key="investsIn",
            predicate="investsIn",
            family="cooperation",
            symmetric=False,
            sources=1,
            first="2024-01-01",
            last="2024-01-01",
            confidence=0.9,
            hedged=False,
        )
    return G


def test_big_view_gets_server_layout_and_no_physics():
    view = build_view(tree(400), limit=1000)
    assert not view.physics and all("x" in n and "y" in n for n in view.nodes)
    assert len(view.nodes) == 400


def test_predicates_have_13_distinct_colours_none_of_them_the_ended_grey():
    assert set(PREDICATE_COLOR) == set(PREDICATES)
    assert len(set(PREDICATE_COLOR.values())) == 13 and ENDED_COLOR not in PREDICATE_COLOR.values()


def test_first_view_is_the_most_central_and_the_rest_is_laid_out_around_it():
    G = tree(400)
    whole = build_view(G, limit=1000)
    assert whole.first == FIRST_VIEW and len(whole.nodes) == 400
    ranks = [n["pagerank"] for n in whole.nodes]
    assert ranks == sorted(ranks, reverse=True)
    # The page the server sends by default (limit = the first view) draws those same
    # entities in the same places: "show all" adds the rest without moving them.
    first = build_view(G, limit=FIRST_VIEW)
    assert [n["id"] for n in first.nodes] == [n["id"] for n in whole.nodes[:FIRST_VIEW]]
    assert [(n["x"], n["y"]) for n in first.nodes] == [(n["x"], n["y"]) for n in whole.nodes[:FIRST_VIEW]]
    # Sizes follow degree.
    by_id = {n["id"]: n for n in whole.nodes}
    hub, leaf = by_id[f"{ENTITY}n1"], by_id[f"{ENTITY}n399"]
    assert hub["degree"] > leaf["degree"] and hub["size"] > leaf["size"]
    assert hub["font"]["size"] > leaf["font"]["size"]
    # An ego network is drawn whole.
    ego = build_view(G, focus=f"{ENTITY}n1", depth=2, limit=1000)
    assert ego.first == len(ego.nodes)


def test_layout_is_computed_once_per_selection():
    G = tree(150)
    a = cached_layout(G, seed=3)
    assert cached_layout(G, seed=3) is a
    assert cached_layout(G, seed=4) is not a
    with pytest.raises(ValueError, match="scale"):
        spring_positions(G, fixed={f"{ENTITY}n0": (0.0, 0.0)})


def test_small_components_sit_next_to_the_main_one():
    pos = spring_positions(tree(120, extra_pairs=8), seed=1)
    main = [complex(*pos[f"{ENTITY}n{i}"]) for i in range(120)]
    centre = sum(main) / len(main)
    reach = max(abs(p - centre) for p in main)
    pairs = [complex(*pos[f"{ENTITY}n{i}"]) for i in range(120, 136)]
    assert max(abs(p - centre) for p in pairs) < 2.5 * reach


def test_relations_between_the_same_two_entities_are_bent_apart(store):
    G = to_networkx(store)
    G.add_edge(
        ent("microsoft"),
        ent("openai"),
        key="partnersWith",
        predicate="partnersWith",
        family="cooperation",
        symmetric=True,
        sources=1,
        first="2024-01-01",
        last="2024-01-01",
        confidence=0.9,
        hedged=False,
    )
    view = build_view(G)
    pair = [e for e in view.edges if {e["from"], e["to"]} == {ent("microsoft"), ent("openai")}]
    assert len(pair) == 2 and all(e["smooth"]["enabled"] for e in pair)
    assert len({(e["smooth"]["type"], e["smooth"]["roundness"]) for e in pair}) == 2
    assert "smooth" not in edge(view, "amazon", "investsIn", "anthropic")


def test_nodes_carry_both_colourings(store):
    view = view_from_store(store)
    for n in view.nodes:
        assert n["type_color"] == TYPE_STYLE[n["type"]][0]
        assert n["community_color"].startswith("#") and isinstance(n["community"], int)
    # Anthropic and Amazon are linked; one of their groups is a real community.
    groups = {n["id"]: n["community"] for n in view.nodes}
    assert groups[ent("anthropic")] >= 0


def test_cli_writes_a_standalone_page(tmp_path: Path):
    store_dir = sample.build_store(tmp_path / "store")
    app = typer.Typer()
    app.command()(viz)
    out = tmp_path / "g.html"
    result = CliRunner().invoke(
        app,
        [
            "--store",
            str(store_dir),
            "-o",
            str(out),
            "--predicates",
            "investsIn",
            "--link-base",
            "http://127.0.0.1:8000/",
            "--min-confidence",
            "0.5",  # the sample's Google investsIn Anthropic is stated at 0.6
        ],
    )
    assert result.exit_code == 0, result.output
    data = page_data(out.read_text(encoding="utf-8"))
    assert {e["predicate"] for e in data["edges"]} == {"investsIn"} and len(data["edges"]) == 3
    assert data["filters"]["predicates"] == ["investsIn"]
    assert '"entityBase":"http://127.0.0.1:8000/entity/"' in out.read_text(encoding="utf-8")
    # The store was closed: another writer can open it.
    open_store(store_dir).close()
    bad = CliRunner().invoke(app, ["--store", str(store_dir), "-o", str(out), "--predicates", "likes"])
    assert bad.exit_code == 2 and "unknown predicate" in bad.output
    missing = CliRunner().invoke(app, ["--store", str(tmp_path / "nothing"), "-o", str(out)])
    assert missing.exit_code == 1


def test_empty_store_gives_an_empty_page(tmp_path: Path):
    from kg.store import LocalStore

    with LocalStore(tmp_path / "empty") as st:
        view = view_from_store(st)
        page = render_graph_page(view)
    assert view.nodes == [] and view.edges == [] and view.total_entities == 0
    assert "0 entities, 0 relations" in page


def test_evidence_of_a_statement_that_is_a_blank_node(store):
    # RDF loaded from elsewhere may state a relation through a blank node: the page
    # shows its sentence like any other.
    turtle = f"""
@prefix aikg: <https://w3id.org/aikg/ontology#> .
@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix prov: <http://www.w3.org/ns/prov#> .
<{ent("microsoft")}> aikg:partnersWith <{ent("openai")}> .
[] a aikg:RelationStatement ; rdf:subject <{ent("microsoft")}> ; rdf:predicate aikg:partnersWith ;
   rdf:object <{ent("openai")}> ; aikg:evidence "Microsoft and OpenAI work together, a partner says." ;
   aikg:confidence 0.9 ; dcterms:date "2024-02-02"^^xsd:date ; prov:wasDerivedFrom <urn:example:elsewhere> .
"""
    import pyoxigraph as ox

    store.load(turtle.encode(), ox.RdfFormat.TURTLE)
    ev = edge(view_from_store(store), "microsoft", "partnersWith", "openai")["evidence"]
    assert [(e["sentence"], e["date"]) for e in ev] == [
        ("Microsoft and OpenAI work together, a partner says.", "2024-02-02")
    ]
