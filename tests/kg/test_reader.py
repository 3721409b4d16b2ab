"""The reader pages' data (kg.reader) on a real store: article text marked up, relations grouped."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from kg.graphdata import get_entity
from kg.loader import ingest
from kg.model import Article, Entity, Extraction, RelationMention
from kg.reader import GROUP_ROWS, article_view, ego_network, relation_groups
from kg.store import LocalStore

MSFT = Entity("Microsoft", "Organization", "Q2283", ("MSFT",))
MSAI = Entity("Microsoft AI", "Organization")
OPENAI = Entity("OpenAI", "Organization")
META = Entity("Meta", "Organization")
ROE = Entity("Jane Roe", "Person")

S1 = "Microsoft invested in OpenAI."
S2 = "Jane Roe now leads Microsoft AI, which MSFT set up."
TEXT = f"Markets were calm. {S1} Metadata and openai were discussed.\n\nAnalysts shrugged. {S2} The end."
FUND = Entity("Big Fund", "Organization")
STARTUPS = [Entity(f"Startup {chr(65 + i)}", "Organization") for i in range(GROUP_ROWS + 3)]


def _extraction(text: str, triples, extra=()) -> Extraction:
    art = Article(text=text, title="t", url=None, published=date(2024, 1, 2))
    rels = []
    for s, p, o, sentence, conf, ended in triples:
        start = art.text.index(sentence)
        rels.append(RelationMention(s, p, o, conf, sentence, start, start + len(sentence), ended=ended))
    ents = tuple({e.slug: e for r in rels for e in (r.subject, r.object)}.values()) + tuple(extra)
    return Extraction(art, ents, tuple(rels), "t-1")


EX = _extraction(
    TEXT, [(MSFT, "investsIn", OPENAI, S1, 0.9, False), (ROE, "leads", MSAI, S2, 0.4, False)], extra=(META,)
)
FUND_TEXT = " ".join(f"Big Fund invested in {e.name}." for e in STARTUPS) + " Big Fund once backed OpenAI."
FUND_EX = _extraction(
    FUND_TEXT,
    [(FUND, "investsIn", e, f"Big Fund invested in {e.name}.", 0.9, False) for e in STARTUPS]
    + [
        (FUND, "investsIn", OPENAI, "Big Fund once backed OpenAI.", 0.9, True),
        (ROE, "leads", FUND, f"Big Fund invested in {STARTUPS[0].name}.", 0.9, False),
    ],
)


def _store(path: Path, store_text: bool) -> LocalStore:
    store = LocalStore(path)
    by_id = {ex.article.id: ex for ex in (EX, FUND_EX)}
    ingest(store, [EX.article, FUND_EX.article], lambda batch: (by_id[a.id] for a in batch), store_text=store_text)
    return store


@pytest.fixture
def bare(tmp_path):
    with _store(tmp_path / "bare", False) as s:
        yield s


@pytest.fixture
def full(tmp_path):
    with _store(tmp_path / "full", True) as s:
        yield s


def _text(items) -> str:
    return "".join(p["text"] for it in items for p in it["pieces"])


def _marked(view) -> dict[str, str]:
    return {it["sentence"]: _text([it]) for passage in view["passages"] for it in passage if it["sentence"]}


def test_without_stored_text_the_article_is_its_evidence_sentences_with_gaps(bare):
    v = article_view(bare, EX.article.id)
    assert v["full_text"] is False
    assert v["gap_before"] is True  # "Markets were calm." is not stored
    assert [_text(p) for p in v["passages"]] == [S1, S2]  # two passages: text between them is missing
    assert "Metadata" not in str(v["passages"])


def test_stored_text_is_shown_whole_with_each_sentence_marked(full):
    v = article_view(full, EX.article.id)
    assert v["full_text"] is True and v["gap_before"] is False
    assert [_text(p) for p in v["passages"]] == [EX.article.text]
    marked = _marked(v)
    assert sorted(marked.values()) == sorted([S1, S2])
    for m in v["mentions"]:
        assert marked[m["sentence"]] == m["evidence"]


def test_a_hidden_statement_keeps_its_sentence_in_the_stored_text_unlinked(full):
    v = article_view(full, EX.article.id, min_confidence=0.5)
    assert [m["predicate"] for m in v["mentions"]] == ["investsIn"] and v["hidden"] == 1
    items = [it for it in v["passages"][0] if it["sentence"]]
    assert [(_text([it]), it["triples"]) for it in items] == [(S1, [v["mentions"][0]["id"]]), (S2, [])]


def test_without_stored_text_a_hidden_statement_hides_its_sentence(bare):
    v = article_view(bare, EX.article.id, min_confidence=0.5)
    assert [_text(p) for p in v["passages"]] == [S1] and v["hidden"] == 1


def test_mentions_are_names_matched_longest_first_case_sensitive_on_word_boundaries(full):
    v = article_view(full, EX.article.id)
    linked = [
        (p["text"], p["entity"]["slug"])
        for passage in v["passages"]
        for it in passage
        for p in it["pieces"]
        if p["entity"]
    ]
    assert linked == [
        ("Microsoft", "microsoft"),
        ("OpenAI", "openai"),
        ("Jane Roe", "jane-roe"),
        ("Microsoft AI", "microsoft-ai"),
        ("MSFT", "microsoft"),
    ]
    # "Metadata" does not hold the name Meta, and "openai" is not spelled like OpenAI.


def test_relations_group_by_predicate_and_direction_current_before_past(full):
    e = get_entity(full, "big-fund")
    groups = relation_groups(e["relations"])
    current = [(g["phrase"], g["count"], len(g["rows"]), len(g["more"])) for g in groups["current"]]
    assert current == [("invests in", len(STARTUPS), GROUP_ROWS, len(STARTUPS) - GROUP_ROWS), ("led by", 1, 1, 0)]
    assert [(g["phrase"], g["count"]) for g in groups["past"]] == [("invests in", 1)]
    assert groups["past"][0]["rows"][0]["other"]["slug"] == "openai"


def test_ego_network_keeps_the_best_supported_neighbours_on_a_ring(full):
    e = get_entity(full, "big-fund")
    ego = ego_network(e, e["relations"], limit=5)
    assert ego["total"] == len(STARTUPS) + 2 and len(ego["nodes"]) == 5
    assert all(abs(n["x"]) <= 110 and abs(n["y"]) <= 85 for n in ego["nodes"])
    assert len({(n["x"], n["y"]) for n in ego["nodes"]}) == 5
