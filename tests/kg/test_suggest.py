"""Suggestions for curators (kg.suggest and `aikg curate duplicates` / `aikg curate suspects`) on a real store.

The store is built through the real loader from hand-made articles (our own invented
companies and people), without shape validation so that a relation the ontology forbids
can be stored, as a load of outside RDF or an entity retyped later would leave it.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from kg.loader import ingest
from kg.model import Article, Entity, Extraction, RelationMention
from kg.store import LocalStore
from kg.suggest import likely_duplicates, likely_wrong, normalize_name

# Two spellings of one company, sharing their partners.
HALCYON = Entity("Halcyon Robotics", "Organization")
HALCYON_TYPO = Entity("Halcyon Robotcs", "Organization")
# One company twice under different names, linked to one Wikidata item.
KESTREL = Entity("Kestrel AI", "Organization", "Q99000001")
KESTREL_SYS = Entity("Kestrel Systems", "Organization", "Q99000001")
# Similar names, different types: a company and a product.
ORION_CO = Entity("Orion Labs", "Organization")
ORION_PRODUCT = Entity("Orion Lab", "Product")
# Similar names, different Wikidata items: two funds.
VEGA = Entity("Vega Capital", "Organization", "Q99000002")
VELA = Entity("Vela Capital", "Organization", "Q99000003")
# Two releases of one model family.
ZEPHYR2 = Entity("Zephyr-2", "AIModel")
ZEPHYR3 = Entity("Zephyr-3", "AIModel")
BANK = Entity("Brightwater Bank", "Organization")
FOUNDRY = Entity("Tallis Foundry", "Organization")
MIRA = Entity("Mira Castell", "Person")
EVIL = Entity("<script>alert('x')</script> Holdings", "Organization")

# (title, [(subject, predicate, object, sentence, confidence)])
STORIES = [
    (
        "Halcyon signs with Brightwater",
        [
            (HALCYON, "partnersWith", BANK, "Halcyon Robotics signed a banking deal with Brightwater Bank.", 0.95),
            (HALCYON, "suppliesTo", FOUNDRY, "Halcyon Robotics delivers arms to Tallis Foundry.", 0.9),
        ],
    ),
    (
        "A robot maker's new partners",
        [
            (HALCYON_TYPO, "partnersWith", BANK, "Halcyon Robotcs and Brightwater Bank agreed to work together.", 0.9),
            (HALCYON_TYPO, "suppliesTo", FOUNDRY, "Halcyon Robotcs ships its arms to Tallis Foundry.", 0.85),
        ],
    ),
    (
        "Kestrel renames itself",
        [
            (KESTREL, "partnersWith", FOUNDRY, "Kestrel AI teamed up with Tallis Foundry.", 0.9),
            (KESTREL_SYS, "competesWith", ORION_CO, "Kestrel Systems competes with Orion Labs.", 0.9),
        ],
    ),
    (
        "Orion's product",
        [
            (ORION_CO, "develops", ORION_PRODUCT, "Orion Labs develops Orion Lab, its notebook tool.", 0.9),
            (VEGA, "investsIn", ORION_CO, "Vega Capital invested in Orion Labs.", 0.95),
            (VELA, "investsIn", ORION_CO, "Vela Capital joined the round in Orion Labs.", 0.95),
            (ORION_CO, "develops", ZEPHYR2, "Orion Labs released Zephyr-2.", 0.95),
            (ORION_CO, "develops", ZEPHYR3, "Orion Labs released Zephyr-3 a year later.", 0.95),
        ],
    ),
    (
        "A banker's bet",
        [
            # A person as the subject of acquires: the ontology allows only organizations.
            (MIRA, "acquires", FOUNDRY, "Mira Castell bought Tallis Foundry outright.", 0.9),
            # Weak, hedged by nothing but its confidence, and stated once.
            (BANK, "investsIn", KESTREL, "Brightwater Bank is said to have looked at Kestrel AI.", 0.55),
        ],
    ),
    (
        "Foundry deals",
        [
            (FOUNDRY, "acquires", BANK, "Tallis Foundry acquired Brightwater Bank's leasing arm.", 0.95),
            (BANK, "acquires", FOUNDRY, "Brightwater Bank took over Tallis Foundry, one report said.", 0.6),
            (EVIL, "partnersWith", BANK, "<script>alert('x')</script> Holdings partners with Brightwater Bank.", 0.6),
        ],
    ),
    (
        "Zephyr's makers",
        [
            (ORION_CO, "develops", ZEPHYR2, "Orion Labs built Zephyr-2 in house.", 0.9),
            # A bank that runs a model is not its developer; the better-backed developer says so.
            (BANK, "develops", ZEPHYR2, "Brightwater Bank runs Zephyr-2 for its clients.", 0.8),
        ],
    ),
    (
        "Foundry deals, again",
        [
            (FOUNDRY, "acquires", BANK, "Tallis Foundry completed its purchase of Brightwater Bank's unit.", 0.95),
            (HALCYON, "partnersWith", BANK, "Halcyon Robotics and Brightwater Bank renewed their deal.", 0.9),
        ],
    ),
]


def _extractions() -> list[Extraction]:
    out = []
    for i, (title, rels) in enumerate(STORIES):
        text = " ".join(sentence for *_, sentence, _ in rels)
        art = Article(text=text, url=f"https://news.example/suggest/{i}", title=title, published=date(2025, 1, 1 + i))
        mentions = []
        for s, p, o, sentence, conf in rels:
            start = art.text.index(sentence)
            mentions.append(RelationMention(s, p, o, conf, sentence, start, start + len(sentence)))
        ents = tuple({e.slug: e for m in mentions for e in (m.subject, m.object)}.values())
        out.append(Extraction(art, ents, tuple(mentions), "suggest-test-1"))
    return out


EXTRACTIONS = _extractions()
BY_ID = {ex.article.id: ex for ex in EXTRACTIONS}


def build_store(path: Path) -> Path:
    """Ingest the stories into a store directory (no shape validation) and close it."""
    with LocalStore(path) as store:
        ingest(store, [ex.article for ex in EXTRACTIONS], lambda batch: (BY_ID[a.id] for a in batch))
    return path


@pytest.fixture(scope="module")
def store_dir(tmp_path_factory) -> Path:
    return build_store(tmp_path_factory.mktemp("suggest") / "store")


@pytest.fixture(scope="module")
def store(store_dir):
    s = LocalStore(store_dir, read_only=True)
    yield s
    s.close()


def _pair(pairs: list[dict], x: Entity, y: Entity) -> dict | None:
    for p in pairs:
        if {p["a"]["label"], p["b"]["label"]} == {x.name, y.name}:
            return p
    return None


def _relation(rows: list[dict], s: Entity, p: str, o: Entity) -> dict | None:
    for r in rows:
        if (r["subject"]["label"], r["predicate"], r["object"]["label"]) == (s.name, p, o.name):
            return r
    return None


# ---------------------------------------------------------------- duplicates


def test_two_spellings_of_one_company_are_a_pair_with_names_and_neighbours_as_reasons(store):
    pairs = likely_duplicates(store, limit=None)
    pair = _pair(pairs, HALCYON, HALCYON_TYPO)
    assert pair is not None
    assert pair["type"] == "Organization"
    assert any(r.startswith("names ") and r.endswith("% alike") for r in pair["reasons"])
    assert "2 of 2 neighbours shared" in pair["reasons"]
    assert pair["score"] >= 0.8
    # The spelling with more partners is the one to keep.
    assert pair["b"]["label"] == HALCYON.name
    assert pair["a"]["slug"] == HALCYON_TYPO.slug


def test_a_shared_wikidata_id_makes_a_pair_whatever_the_names(store):
    pair = _pair(likely_duplicates(store, limit=None), KESTREL, KESTREL_SYS)
    assert pair is not None
    assert "both are Wikidata Q99000001" in pair["reasons"]
    assert pair["wikidata"] == "Q99000001"


def test_similar_names_of_different_types_are_not_a_pair(store):
    assert _pair(likely_duplicates(store, limit=None, min_score=0.0), ORION_CO, ORION_PRODUCT) is None


def test_similar_names_with_different_wikidata_ids_or_versions_are_not_listed(store):
    pairs = likely_duplicates(store, limit=None)
    assert _pair(pairs, VEGA, VELA) is None
    assert _pair(pairs, ZEPHYR2, ZEPHYR3) is None
    everything = likely_duplicates(store, limit=None, min_score=0.0)
    assert "but different Wikidata ids (Q99000002, Q99000003)" in _pair(everything, VEGA, VELA)["reasons"]


def test_duplicates_are_ordered_and_limited(store):
    pairs = likely_duplicates(store, limit=None)
    assert [p["score"] for p in pairs] == sorted((p["score"] for p in pairs), reverse=True)
    assert likely_duplicates(store, limit=1) == pairs[:1]


def test_names_are_compared_without_case_punctuation_or_company_suffixes():
    assert normalize_name("OpenAI, Inc.") == normalize_name("openai") == "openai"
    assert normalize_name("The Acme Robotics Ltd.") == "acme robotics"
    assert normalize_name("Société Générale") == "societe generale"


def test_a_name_that_is_the_end_of_another_is_a_pair(tmp_path):
    brain, google_brain = Entity("Brainwave", "Organization"), Entity("Norda Brainwave", "Organization")
    text = "Brainwave works with Tallis Foundry. Norda Brainwave works with Tallis Foundry too."
    a = Article(text=text, url="https://news.example/brainwave", title="t", published=date(2025, 2, 1))
    s1, s2 = "Brainwave works with Tallis Foundry.", "Norda Brainwave works with Tallis Foundry too."
    rels = (
        RelationMention(brain, "partnersWith", FOUNDRY, 0.9, s1, 0, len(s1)),
        RelationMention(google_brain, "partnersWith", FOUNDRY, 0.9, s2, text.index(s2), len(text)),
    )
    ex = Extraction(a, (brain, google_brain, FOUNDRY), rels, "t")
    with LocalStore(tmp_path / "s") as s:
        ingest(s, [a], lambda batch: [ex])
        pair = _pair(likely_duplicates(s), brain, google_brain)
    assert pair is not None
    assert '"Brainwave" is how "Norda Brainwave" ends' in pair["reasons"]
    assert pair["b"]["label"] == "Norda Brainwave"


# ---------------------------------------------------------------- suspects


def test_a_relation_the_ontology_forbids_is_listed_with_its_evidence(store):
    rows = likely_wrong(store, limit=None)
    row = _relation(rows, MIRA, "acquires", FOUNDRY)
    assert row is not None
    assert "type-conflict" in row["checks"]
    assert "subject Mira Castell is a Person; acquires takes an Organization as subject" in row["reasons"]
    ev = row["evidence"][0]
    assert ev["sentence"] == "Mira Castell bought Tallis Foundry outright."
    assert ev["title"] == "A banker's bet"
    assert ev["article"] == EXTRACTIONS[4].article.id


def test_a_single_source_low_confidence_relation_is_listed(store):
    row = _relation(likely_wrong(store, limit=None), BANK, "investsIn", KESTREL)
    assert row is not None
    assert {"low-confidence", "single-source"} <= set(row["checks"])
    assert "low confidence: 0.55 (below 0.7)" in row["reasons"]
    assert "one source article" in row["reasons"]
    assert row["sources"] == 1 and row["confidence"] == 0.55
    assert row["evidence"][0]["sentence"] == "Brightwater Bank is said to have looked at Kestrel AI."


def test_a_contradiction_weighs_on_the_weaker_side(store):
    rows = likely_wrong(store, limit=None)
    weak = _relation(rows, BANK, "acquires", FOUNDRY)
    strong = _relation(rows, FOUNDRY, "acquires", BANK)
    assert "contradicts Tallis Foundry acquires Brightwater Bank (2 sources against 1)" in weak["reasons"]
    assert "contradiction" in weak["checks"]
    assert strong is not None and "contradiction" in strong["checks"]
    assert weak["score"] > strong["score"]
    assert rows.index(weak) < rows.index(strong)


def test_a_second_developer_less_well_backed_is_doubted(store):
    rows = likely_wrong(store, limit=None)
    row = _relation(rows, BANK, "develops", ZEPHYR2)
    assert "Orion Labs also develops Zephyr-2 (2 sources against 1)" in row["reasons"]
    assert "competing" in row["checks"]
    # The better-backed developer is not doubted for it.
    assert _relation(rows, ORION_CO, "develops", ZEPHYR2) is None


def test_a_well_backed_relation_is_not_listed(store):
    rows = likely_wrong(store, limit=None)
    # partnersWith is symmetric: stored once, from the smaller slug.
    assert _relation(rows, BANK, "partnersWith", HALCYON) is None
    assert _relation(likely_wrong(store, limit=None, low_confidence=0.99), BANK, "partnersWith", HALCYON) is not None
    assert all(r["reasons"] and r["checks"] for r in rows)


def test_the_lowest_threshold_doubts_no_confidence(store):
    rows = likely_wrong(store, limit=None, low_confidence=0.0)
    assert not any("low-confidence" in r["checks"] for r in rows)


def test_a_self_loop_is_the_first_suspect(tmp_path):
    with LocalStore(tmp_path / "s") as s:
        s.load(
            b"@prefix aikg: <https://w3id.org/aikg/ontology#> . @prefix ent: <https://w3id.org/aikg/entity/> .\n"
            b'ent:loop a aikg:Organization ; <http://www.w3.org/2000/01/rdf-schema#label> "Loopwise" .\n'
            b"ent:loop aikg:partnersWith ent:loop .\n",
            __import__("pyoxigraph").RdfFormat.TURTLE,
        )
        rows = likely_wrong(s)
    assert rows[0]["checks"][:1] == ["self-loop"]
    assert "Loopwise is related to itself" in rows[0]["reasons"]
    assert "no statement backs it" in rows[0]["reasons"]


def test_the_signatures_come_from_the_ontology_and_match_the_extractor():
    from ingest.relations.signatures import SIGNATURES
    from ontology import relation_signatures

    found = relation_signatures()
    assert set(found) == set(SIGNATURES)
    assert found["leads"] == (frozenset({"Person"}), frozenset({"Organization"}))
    # The extractor lets an organization acquire an AI model; the ontology (and the shapes)
    # do not, so validation drops such statements. Every other signature agrees.
    differ = {p for p, (d, r) in SIGNATURES.items() if found[p] != (frozenset(d), frozenset(r))}
    assert differ == {"acquires"}


# ---------------------------------------------------------------- the commands


def aikg(*args: str) -> subprocess.CompletedProcess:
    # A wide terminal, so that a table row stays on one line.
    env = {**os.environ, "COLUMNS": "250"}
    return subprocess.run(
        [sys.executable, "-m", "aikg", "curate", *args], capture_output=True, text=True, timeout=120, env=env
    )


def test_duplicates_command_prints_json_a_user_can_read(store_dir, store):
    proc = aikg("duplicates", "--store", str(store_dir), "--json")
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert data == likely_duplicates(store)
    assert _pair(data, HALCYON, HALCYON_TYPO) is not None


def test_suspects_command_table_and_limit(store_dir):
    proc = aikg("suspects", "--store", str(store_dir), "--limit", "3")
    assert proc.returncode == 0, proc.stderr
    assert "3 relations to check" in proc.stdout
    assert "Mira Castell acquires" in proc.stdout
    proc = aikg("suspects", "--store", str(store_dir), "--json", "-n", "2")
    assert len(json.loads(proc.stdout)) == 2


def test_commands_on_a_missing_store_fail_with_one_line(tmp_path):
    proc = aikg("duplicates", "--store", str(tmp_path / "none"))
    assert proc.returncode == 1
    assert proc.stderr.startswith("aikg: error: no aikg store at ")
    assert "Traceback" not in proc.stderr


@pytest.mark.parametrize(
    "args",
    [
        ("suspects", "--limit", "-1"),
        ("duplicates", "--min-score", "2"),
        ("suspects", "--server", "ftp://example.org"),
        ("duplicates", "--store", "x", "--server", "http://127.0.0.1:1"),
    ],
)
def test_usage_errors_exit_2(args):
    proc = aikg(*args)
    assert proc.returncode == 2, proc.stderr
    assert "Traceback" not in proc.stderr


def test_a_server_that_does_not_answer_is_one_line_and_exit_1():
    from tests.servers import free_port

    proc = aikg("suspects", "--server", f"http://127.0.0.1:{free_port()}")
    assert proc.returncode == 1
    assert proc.stderr.startswith("aikg: error: cannot reach http://127.0.0.1:")
    assert len(proc.stderr.strip().splitlines()) == 1


def test_blocking_finds_a_one_letter_typo_anywhere_in_a_name():
    from kg.suggest import similar_names

    fillers = [normalize_name(f"{a}{b} Robotics") for a in ("Zor", "Pel", "Quan", "Mib") for b in ("dex", "tav", "ulm")]
    for base in ("Halvorsen Robotics", "Quintara", "Brightwater Bank"):
        norm = normalize_name(base)
        for i in range(len(norm)):
            if norm[i] == " ":
                continue
            typo = norm[:i] + norm[i + 1 :]
            names = [*fillers, norm, typo]
            assert (len(fillers), len(fillers) + 1) in similar_names(names), (norm, typo)
    # Names unlike each other are never paired, whatever their blocks.
    assert similar_names(["halvorsen robotics", "quintara robotics", "brightwater bank"]) == set()


@pytest.mark.server
def test_a_sparql_server_gives_the_same_lists(tmp_path, store):
    from kg.backend import open_store
    from tests.servers import OxigraphServer

    srv = OxigraphServer(tmp_path / "oxi")
    srv.start()
    try:
        remote = open_store(srv.url)
        ingest(remote, [ex.article for ex in EXTRACTIONS], lambda batch: (BY_ID[a.id] for a in batch))
        assert likely_duplicates(remote, limit=None) == likely_duplicates(store, limit=None)
        assert likely_wrong(remote, limit=None) == likely_wrong(store, limit=None)
        remote.close()
    finally:
        srv.stop()


def test_a_company_suffix_or_a_generic_word_counts_once(tmp_path):
    names = [
        Entity("Quintara", "Organization"),
        Entity("Quintara Inc.", "Organization"),
        Entity("Belmor", "Organization"),
        Entity("Belmor AI", "Organization"),
    ]
    sentences = [f"{e.name} opened an office next to Tallis Foundry." for e in names]
    text = " ".join(sentences)
    a = Article(text=text, url="https://news.example/suffixes", title="t", published=date(2025, 3, 1))
    rels = tuple(
        RelationMention(e, "partnersWith", FOUNDRY, 0.9, sent, text.index(sent), text.index(sent) + len(sent))
        for e, sent in zip(names, sentences)
    )
    ex = Extraction(a, (*names, FOUNDRY), rels, "t")
    with LocalStore(tmp_path / "s") as s:
        ingest(s, [a], lambda batch: [ex])
        pairs = likely_duplicates(s, limit=None)
    suffix = _pair(pairs, names[0], names[1])
    assert suffix["reasons"] == [
        "the same name apart from case, spaces, punctuation or a company suffix",
        "1 of 1 neighbours shared",
    ]
    generic = _pair(pairs, names[2], names[3])
    assert generic["reasons"][0] == "the same name apart from a word such as AI or Labs"
    assert _pair(pairs, names[0], names[2]) is None


def test_a_pair_already_declared_one_is_not_suggested(tmp_path):
    import pyoxigraph as ox

    path = build_store(tmp_path / "s")
    with LocalStore(path) as s:
        assert _pair(likely_duplicates(s, limit=None), HALCYON, HALCYON_TYPO) is not None
        same = (
            f"<https://w3id.org/aikg/entity/{HALCYON_TYPO.slug}> <http://www.w3.org/2002/07/owl#sameAs> "
            f"<https://w3id.org/aikg/entity/{HALCYON.slug}> .\n"
        )
        s.load(same.encode(), ox.RdfFormat.N_TRIPLES, graph="https://w3id.org/aikg/graph/curation")
        assert _pair(likely_duplicates(s, limit=None), HALCYON, HALCYON_TYPO) is None
