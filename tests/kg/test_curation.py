"""Curation on a real store on disk: every operation through the CLI, and the corrections
outlasting re-ingests, new sources, delete and re-add, export and import."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg import curation
from kg.derived import INDEX_GRAPH
from kg.loader import delete_articles, find_articles, ingest
from kg.model import Article, Extraction, RelationMention
from kg.namespaces import ENTITY, ONTOLOGY, OWL, SKOS
from kg.store import LocalStore
from tests.kg.conftest import ANTHROPIC, GOOGLE, build_store, extractions

REPO = Path(__file__).resolve().parents[2]
GOOGLE_INVESTS = f"ASK {{ <{ENTITY}google> <{ONTOLOGY}investsIn> <{ENTITY}anthropic> }}"
GOOGLE_STATEMENT = (
    f"ASK {{ ?st <http://www.w3.org/1999/02/22-rdf-syntax-ns#subject> <{ENTITY}google> ; "
    f"<http://www.w3.org/1999/02/22-rdf-syntax-ns#predicate> <{ONTOLOGY}investsIn> }}"
)
RAW_GOOGLE_INVESTS = f"ASK {{ GRAPH ?g {{ <{ENTITY}google> <{ONTOLOGY}investsIn> <{ENTITY}anthropic> }} }}"


def aikg(*args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(REPO), "USER": "tester"}
    return subprocess.run(
        [sys.executable, "-m", "aikg", *args], capture_output=True, text=True, timeout=120, env=env, cwd=REPO
    )


def ask(path: Path, query: str) -> bool:
    with LocalStore(path) as s:
        return bool(s.query(query))


def all_quads(store: LocalStore) -> set[ox.Quad]:
    return set(store.oxigraph.quads_for_pattern(None, None, None))


def without_curation(store: LocalStore) -> list[str]:
    """Return the store as sorted N-Quads lines, minus the curation graph and what only it yields.

    The time index (kg.timeindex) is left out too: derived data, which a curation
    operation removes and the next ingest builds again.
    """
    state = store.curation_state()
    cur = store.graph_quads(curation.CURATION_GRAPH)
    own = {q.triple for q in curation.project(cur, state)} | {q.triple for q in curation.derived(state)}
    lines = []
    for q in store.oxigraph.quads_for_pattern(None, None, None):
        if q.graph_name in (curation.CURATION_GRAPH, INDEX_GRAPH):
            continue
        if isinstance(q.graph_name, ox.DefaultGraph) and q.triple in own:
            continue
        lines.append(str(q))
    return sorted(lines)


@pytest.fixture
def store_dir(tmp_path) -> Path:
    build_store(tmp_path / "store").close()
    return tmp_path / "store"


def test_every_operation_through_the_cli(store_dir):
    s = str(store_dir)
    r = aikg("curate", "reject", "Google", "investsIn", "Anthropic", "--reason", "only talks", "--store", s)
    assert r.returncode == 0, r.stderr
    assert "Reject" in r.stdout and "triples removed" in r.stdout
    assert not ask(store_dir, GOOGLE_INVESTS) and not ask(store_dir, GOOGLE_STATEMENT)
    assert ask(store_dir, RAW_GOOGLE_INVESTS)  # the article's own graph is untouched

    r = aikg("curate", "merge", "Microsoft AI", "Microsoft", "--store", s, "--json")
    assert r.returncode == 0, r.stderr
    change = json.loads(r.stdout)
    assert change["operation"]["type"] == "Merge" and change["removed"] > 0 and change["added"] > 0
    assert ask(store_dir, f'ASK {{ <{ENTITY}microsoft> <{SKOS}altLabel> "Microsoft AI" }}')
    assert ask(store_dir, f"ASK {{ <{ENTITY}microsoft-ai> <{OWL}sameAs> <{ENTITY}microsoft> }}")
    assert ask(store_dir, f"ASK {{ <{ENTITY}mustafa-suleyman> <{ONTOLOGY}leads> <{ENTITY}microsoft> }}")
    assert not ask(store_dir, f"ASK {{ ?x <{ONTOLOGY}leads> <{ENTITY}microsoft-ai> }}")

    r = aikg("curate", "split", "Microsoft AI", "Microsoft", "--store", s)
    assert r.returncode == 0, r.stderr
    assert ask(store_dir, f"ASK {{ <{ENTITY}mustafa-suleyman> <{ONTOLOGY}leads> <{ENTITY}microsoft-ai> }}")

    assert aikg("curate", "alias", "Google", "Alphabet", "--store", s).returncode == 0
    assert ask(store_dir, f'ASK {{ <{ENTITY}google> <{SKOS}altLabel> "Alphabet" }}')
    assert aikg("curate", "alias", "Microsoft", "MSFT", "--remove", "--store", s).returncode == 0
    assert not ask(store_dir, f'ASK {{ <{ENTITY}microsoft> <{SKOS}altLabel> "MSFT" }}')
    assert aikg("curate", "rename", "Google", "Google LLC", "--store", s).returncode == 0
    assert ask(store_dir, f'ASK {{ <{ENTITY}google> <{SKOS}prefLabel> "Google LLC" ; <{SKOS}altLabel> "Google" }}')
    assert not ask(store_dir, f'ASK {{ <{ENTITY}google> <{SKOS}prefLabel> "Google" }}')
    assert aikg("curate", "retype", "Copilot", "AIModel", "--store", s).returncode == 0
    assert ask(store_dir, f"ASK {{ <{ENTITY}copilot> a <{ONTOLOGY}AIModel> }}")
    assert not ask(store_dir, f"ASK {{ <{ENTITY}copilot> a <{ONTOLOGY}Product> }}")
    assert aikg("curate", "link", "Mistral AI", "Q100", "--store", s).returncode == 0
    assert ask(store_dir, f"ASK {{ <{ENTITY}mistral-ai> <{OWL}sameAs> <http://www.wikidata.org/entity/Q100> }}")
    assert aikg("curate", "link", "Google LLC", "--clear", "--store", s).returncode == 0
    assert not ask(store_dir, f"ASK {{ <{ENTITY}google> <{OWL}sameAs> ?wd }}")
    r = aikg(
        "curate",
        "add",
        "Sam Altman",
        "investsIn",
        "Anthropic",
        "--url",
        "https://example.org/x",
        "--quote",
        "Altman put money into Anthropic.",
        "--store",
        s,
    )
    assert r.returncode == 0, r.stderr
    assert ask(store_dir, f"ASK {{ <{ENTITY}sam-altman> <{ONTOLOGY}investsIn> <{ENTITY}anthropic> }}")
    r = aikg("curate", "accept", "Microsoft", "investsIn", "OpenAI", "--store", s)
    assert r.returncode == 0, r.stderr
    reviewed = (
        f"SELECT (COUNT(?st) AS ?n) WHERE {{ ?st <{ONTOLOGY}reviewed> true ; "
        f"<http://www.w3.org/1999/02/22-rdf-syntax-ns#subject> <{ENTITY}microsoft> }}"
    )
    with LocalStore(store_dir) as st:
        assert int(next(iter(st.query(reviewed)))["n"].value) == 4  # the four statements of it

    r = aikg("curate", "log", "--store", s, "--json")
    ops = json.loads(r.stdout)
    assert [o["type"] for o in ops] == [
        "Reject",
        "Merge",
        "Split",
        "AddAlias",
        "RemoveAlias",
        "Rename",
        "Retype",
        "SetWikidata",
        "ClearWikidata",
        "AddRelation",
        "Accept",
    ]
    assert ops[0]["by"] == "tester" and ops[0]["reason"] == "only talks"
    r = aikg("curate", "undo", ops[0]["id"], "--store", s)
    assert r.returncode == 0, r.stderr
    assert ask(store_dir, GOOGLE_INVESTS) and ask(store_dir, GOOGLE_STATEMENT)
    r = aikg("curate", "log", "--type", "Reject", "--store", s)
    assert "undone by" in r.stdout and "only talks" in r.stdout


def test_what_we_rejected_and_why_is_one_query_over_the_default_graph(world):
    curation.verdict(
        world, "Reject", subject="Google", predicate="investsIn", obj="Anthropic", by="ana", reason="only talks"
    )
    q = f"""SELECT ?who ?why WHERE {{ ?op a <{ONTOLOGY}Reject> ; <http://www.w3.org/ns/prov#wasAttributedTo> ?who ;
             <{ONTOLOGY}reason> ?why ; <http://purl.org/dc/terms/created> ?t FILTER(?t > "2020-01-01T00:00:00Z"^^<http://www.w3.org/2001/XMLSchema#dateTime>) }}"""
    rows = list(world.query(q))
    assert [(r["who"].value.rsplit("/", 1)[1], r["why"].value) for r in rows] == [("ana", "only talks")]


def _google_again(n: int) -> Extraction:
    sent = f"Google invested in Anthropic again ({n})."
    art = Article(text=f"Google news {n}.\n\n{sent}", url=f"https://news.example/google-{n}", title=f"Google {n}")
    start = art.text.index(sent)
    rel = RelationMention(GOOGLE, "investsIn", ANTHROPIC, 0.9, sent, start, start + len(sent))
    return Extraction(art, (GOOGLE, ANTHROPIC), (rel,), "test-1")


def test_reject_survives_reingest_new_source_delete_and_readd(world):
    curation.verdict(world, "Reject", subject="Google", predicate="investsIn", obj="Anthropic", reason="x")
    exs = extractions()
    extract = lambda batch: [exs[a.id] for a in batch]  # noqa: E731
    # the same articles again: nothing changes
    ingest(world, [e.article for e in exs.values()], extract)
    assert not world.query(GOOGLE_INVESTS) and world.query(RAW_GOOGLE_INVESTS)
    # a new article states it again: it stays rejected, and the log counts the new source
    new = _google_again(1)
    time.sleep(1.1)  # articles carry their ingest time to the second
    ingest(world, [new.article], lambda batch: [new])
    assert not world.query(GOOGLE_INVESTS) and not world.query(GOOGLE_STATEMENT)
    assert curation.log(world)[0]["new_sources_since"] == 1
    # delete every article that states it and add them back
    google_articles = [a for a in exs.values() if any(r.subject == GOOGLE for r in a.relations)]
    for a in google_articles:
        delete_articles(world, find_articles(world, a.article.url))
    delete_articles(world, find_articles(world, new.article.url))
    assert not world.query(RAW_GOOGLE_INVESTS)
    ingest(
        world, [a.article for a in google_articles] + [new.article], lambda batch: [exs.get(a.id, new) for a in batch]
    )
    assert world.query(RAW_GOOGLE_INVESTS)
    assert not world.query(GOOGLE_INVESTS) and not world.query(GOOGLE_STATEMENT)


def test_delete_keeps_what_other_articles_still_yield_under_a_merge(world):
    curation.merge(world, "Microsoft AI", "Microsoft")
    suleyman = [a for a in extractions().values() if a.article.title == "Suleyman to run Microsoft AI"][0]
    delete_articles(world, find_articles(world, suleyman.article.url))
    assert not world.query(f"ASK {{ <{ENTITY}mustafa-suleyman> <{ONTOLOGY}leads> <{ENTITY}microsoft> }}")
    # Microsoft is still stated by other articles, with its own labels
    assert world.query(f'ASK {{ <{ENTITY}microsoft> <http://www.w3.org/2000/01/rdf-schema#label> "Microsoft" }}')
    assert not world.query(f'ASK {{ <{ENTITY}microsoft> <{SKOS}altLabel> "Microsoft AI" }}')
    assert world.query(f"ASK {{ <{ENTITY}microsoft-ai> <{OWL}sameAs> <{ENTITY}microsoft> }}")


def test_reject_survives_export_and_import(world, tmp_path):
    curation.verdict(world, "Reject", subject="Google", predicate="investsIn", obj="Anthropic", reason="x")
    curation.merge(world, "Microsoft AI", "Microsoft")
    buf = io.BytesIO()
    # the export holds only the named graphs (raw articles + curation): the import projects again
    named = [
        q for q in world.oxigraph.quads_for_pattern(None, None, None) if not isinstance(q.graph_name, ox.DefaultGraph)
    ]
    ox.serialize(named, buf, format=ox.RdfFormat.N_QUADS)
    with LocalStore(tmp_path / "copy") as copy:
        copy.load(buf.getvalue(), ox.RdfFormat.N_QUADS)
        assert not copy.query(GOOGLE_INVESTS) and copy.query(RAW_GOOGLE_INVESTS)
        assert all_quads(copy) == all_quads(world)
    # the whole dump (aikg export --format nquads) loads the same way
    path = tmp_path / "dump.nq"
    world.close()
    r = aikg("export", "--format", "nquads", "--store", str(tmp_path / "store"), "-o", str(path))
    assert r.returncode == 0, r.stderr
    r = aikg("load", str(path), "--store", str(tmp_path / "copy2"))
    assert r.returncode == 0, r.stderr
    assert not ask(tmp_path / "copy2", GOOGLE_INVESTS) and ask(tmp_path / "copy2", RAW_GOOGLE_INVESTS)


def test_merge_then_split_gives_back_the_original_graph(world):
    before = without_curation(world)
    curation.merge(world, "Microsoft AI", "Microsoft")
    curation.merge(world, "Mistral AI", "Microsoft")
    assert without_curation(world) != before
    curation.split(world, "Mistral AI", "Microsoft")
    curation.split(world, "Microsoft AI", "Microsoft")
    assert without_curation(world) == before


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["merge", "Nobody Inc", "Microsoft"], "unknown entity"),
        (["merge", "Microsoft", "Microsoft"], "into itself"),
        (["merge", "Sam Altman", "Microsoft"], "across types"),
        (["reject", "Google", "fundedBy", "Anthropic"], "unknown predicate"),
        (["reject", "Google", "leads", "Anthropic"], "no relation"),
        (["add", "Copilot", "investsIn", "Anthropic", "--url", "https://e.org", "--quote", "q"], "not allowed"),
        (["undo", "0000"], "unknown operation"),
        (["retype", "Google", "Planet"], "unknown type"),
        (["link", "Google", "95"], "not a Wikidata item"),
    ],
)
def test_bad_requests_exit_2_and_change_nothing(store_dir, args, message):
    with LocalStore(store_dir) as s:
        before = all_quads(s)
    r = aikg("curate", *args, "--store", str(store_dir))
    assert r.returncode == 2
    assert message in r.stderr and "Traceback" not in r.stderr and len(r.stderr.strip().splitlines()) == 1
    with LocalStore(store_dir) as s:
        assert all_quads(s) == before


def test_cyclic_and_ambiguous_names_are_refused(world):
    curation.merge(world, "Microsoft AI", "Microsoft")
    with pytest.raises(curation.CurationError, match="already merged"):
        curation.merge(world, f"{ENTITY}microsoft-ai", "Mistral AI")
    curation.merge(world, "Mistral AI", "Microsoft")
    with pytest.raises(curation.CurationError, match="cyclic|into itself"):
        curation.merge(world, "Microsoft", "Mistral")
    curation.entity_op(world, "AddAlias", "Nvidia", "Big Chips")
    curation.entity_op(world, "AddAlias", "Meta", "Big Chips")
    with pytest.raises(curation.CurationError, match="ambiguous.*nvidia.*meta|ambiguous.*meta.*nvidia"):
        curation.resolve_entity(world, "big chips")


def test_undo_of_a_hand_added_relation_takes_it_out(world):
    change = curation.add_relation(
        world, "Sam Altman", "investsIn", "Anthropic", url="https://e.org/a", quote_text="Altman invested."
    )
    q = f"ASK {{ <{ENTITY}sam-altman> <{ONTOLOGY}investsIn> <{ENTITY}anthropic> }}"
    assert world.query(q)
    curation.undo(world, change.operation.iri.value)
    assert not world.query(q)
    with pytest.raises(curation.CurationError, match="undone already"):
        curation.undo(world, change.operation.iri.value)


def test_export_labels_writes_the_trainers_format(world, tmp_path):
    curation.verdict(world, "Reject", subject="Google", predicate="investsIn", obj="Anthropic")
    curation.verdict(world, "Accept", subject="Nvidia", predicate="acquires", obj="Run:ai")
    out = tmp_path / "labels.jsonl"
    from kg.curation_labels import write_labels

    assert write_labels(world, out) == {"accepted": 1, "rejected": 1}
    recs = [json.loads(line) for line in out.read_text().splitlines()]
    accepted = [r for r in recs if r["relations"]][0]
    assert accepted["relations"] == [{"subject": "Nvidia", "predicate": "acquires", "object": "Run:ai"}]
    assert "Nvidia" in accepted["text"] and {e["name"] for e in accepted["entities"]} == {"Nvidia", "Run:ai"}
    rejected = [r for r in recs if r["negatives"]][0]
    assert rejected["negatives"] == [{"subject": "Google", "predicate": "investsIn", "object": "Anthropic"}]


def test_a_curated_store_conforms_to_the_shapes(world):
    from kg.validate import validate_store

    curation.add_relation(
        world, "Sam Altman", "investsIn", "Anthropic", url="https://e.org/a", quote_text="Altman invested."
    )
    curation.verdict(world, "Accept", subject="Nvidia", predicate="acquires", obj="Run:ai", reason="checked")
    curation.merge(world, "Microsoft AI", "Microsoft")
    curation.undo(world, curation.log(world)[-1]["id"])
    report = validate_store(world)
    assert report.conforms, report.violations[:5]


def test_an_accepted_statement_passes_any_confidence_threshold(world):
    from kg.analytics import to_networkx
    from kg.graphdata import get_entity

    def google_edges(G) -> int:
        return sum(1 for s, o, d in G.edges(data=True) if s.endswith("/google"))

    assert google_edges(to_networkx(world, min_confidence=0.9)) == 0  # its statement is at 0.6
    assert not [r for r in get_entity(world, "google", min_confidence=0.9)["relations"]]
    curation.verdict(world, "Accept", subject="Google", predicate="investsIn", obj="Anthropic", reason="confirmed")
    assert google_edges(to_networkx(world, min_confidence=0.9)) == 1
    rels = get_entity(world, "google", min_confidence=0.9)["relations"]
    assert [r["predicate"] for r in rels] == ["investsIn"]


def test_a_rejection_follows_its_entities_through_later_merges(world):
    curation.verdict(world, "Reject", subject="Google", predicate="investsIn", obj="Anthropic")
    curation.merge(world, "Google", "Microsoft")
    q = f"ASK {{ <{ENTITY}microsoft> <{ONTOLOGY}investsIn> <{ENTITY}anthropic> }}"
    assert not world.query(q)  # Google's statement stays rejected as Microsoft's
    assert world.query(f"ASK {{ <{ENTITY}microsoft> <{ONTOLOGY}investsIn> <{ENTITY}openai> }}")
    curation.split(world, "Google", "Microsoft")
    assert not world.query(GOOGLE_INVESTS)


def test_a_restored_backup_keeps_the_corrections_in_force(world, tmp_path):
    curation.verdict(world, "Reject", subject="Google", predicate="investsIn", obj="Anthropic")
    world.flush()
    world.oxigraph.backup(str(tmp_path / "backup"))  # what `oxigraph backup` does (docs/OPERATIONS.md)
    with LocalStore(tmp_path / "backup") as restored:
        assert not restored.query(GOOGLE_INVESTS) and restored.query(RAW_GOOGLE_INVESTS)
        new = _google_again(2)
        ingest(restored, [new.article], lambda batch: [new])
        assert not restored.query(GOOGLE_INVESTS)
        assert [op["type"] for op in curation.log(restored)] == ["Reject"]


def test_the_trainer_learns_the_verdicts_as_positives_and_negatives(tmp_path):
    from ingest.entities import load_gazetteer
    from ingest.pipeline import RULES_ONLY, build_nlp
    from ingest.relations import load_lexicon
    from ingest.relations.features import Featurizer
    from ingest.relations.train import build_labels
    from kg.curation_labels import write_labels
    from kg.model import Entity

    amazon = Entity("Amazon", "Organization", "Q3884")
    microsoft = Entity("Microsoft", "Organization", "Q2283")
    openai = Entity("OpenAI", "Organization", "Q21708200")
    good = "Microsoft invested $10 billion in OpenAI."
    bad = "Google and Amazon both invested in Anthropic last year."
    text = f"Cloud money.\n\n{good} {bad}"
    art = Article(text=text, url="https://news.example/cloud", title="Cloud money")
    rels = (
        RelationMention(microsoft, "investsIn", openai, 0.9, good, text.index(good), text.index(good) + len(good)),
        RelationMention(GOOGLE, "investsIn", amazon, 0.6, bad, text.index(bad), text.index(bad) + len(bad)),
    )
    ex = Extraction(art, (microsoft, openai, GOOGLE, amazon), rels, "test-1")
    with LocalStore(tmp_path / "store") as store:
        ingest(store, [art], lambda batch: [ex])
        curation.verdict(store, "Accept", subject="Microsoft", predicate="investsIn", obj="OpenAI")
        curation.verdict(store, "Reject", subject="Google", predicate="investsIn", obj="Amazon")
        assert write_labels(store, tmp_path / "labels.jsonl") == {"accepted": 1, "rejected": 1}
    data = build_labels(
        [tmp_path / "labels.jsonl"], build_nlp(relation_model=RULES_ONLY), load_gazetteer(), Featurizer(load_lexicon())
    )
    learnt = {(data.ids[e.doc], p, p in e.labels) for e in data.examples for p in (e.trained or ())}
    texts = {r["id"]: r["text"] for r in map(json.loads, (tmp_path / "labels.jsonl").read_text().splitlines())}
    assert {(texts[i], p, positive) for i, p, positive in learnt} == {
        (good, "investsIn", True),
        (bad, "investsIn", False),
    }


def test_train_refuses_a_missing_labels_file_in_one_line():
    r = aikg("train", "--labels", "no/such/labels.jsonl")
    assert r.returncode == 2
    assert "no/such/labels.jsonl: no such file or directory" in r.stderr and len(r.stderr.strip().splitlines()) == 1


def test_an_articles_view_leaves_out_its_rejected_statements(world):
    from kg.graphdata import get_article

    google = [e for e in extractions().values() if e.article.title == "Google said to weigh Anthropic stake"][0]
    before = get_article(world, google.article.id)
    assert [m["predicate"] for m in before["mentions"]] == ["investsIn"]
    curation.verdict(world, "Reject", subject="Google", predicate="investsIn", obj="Anthropic")
    after = get_article(world, google.article.id)
    assert after["mentions"] == [] and after["title"] == before["title"]
    nvidia = [e for e in extractions().values() if e.article.title == "Nvidia buys Run:ai"][0]
    assert get_article(world, nvidia.article.id, min_confidence=0.95)["hidden"] == 1
    curation.verdict(world, "Accept", subject="Nvidia", predicate="acquires", obj="Run:ai")
    shown = get_article(world, nvidia.article.id, min_confidence=0.95)
    assert shown["hidden"] == 0 and [m["reviewed"] for m in shown["mentions"]] == [True]


def test_a_merge_keeps_one_direction_of_a_symmetric_relation(world):
    # meta partnersWith microsoft (one article) becomes openai–microsoft, which another
    # article states as microsoft partnersWith openai: one edge, in the stored order.
    both = (
        f"SELECT ?s ?o WHERE {{ VALUES (?s ?o) {{ (<{ENTITY}microsoft> <{ENTITY}openai>) "
        f"(<{ENTITY}openai> <{ENTITY}microsoft>) }} ?s <{ONTOLOGY}partnersWith> ?o }}"
    )
    assert [(r["s"].value, r["o"].value) for r in world.query(both)] == [(f"{ENTITY}microsoft", f"{ENTITY}openai")]
    curation.merge(world, "Meta", "OpenAI")
    assert [(r["s"].value, r["o"].value) for r in world.query(both)] == [(f"{ENTITY}microsoft", f"{ENTITY}openai")]
