"""KnowledgeNet documents become training records in the gold format (ingest/knowledgenet/).

The synthetic documents below are our own invented sentences in KnowledgeNet's shape:
KnowledgeNet's text (CC BY-SA) is never copied into the repository. The last test reads
the real folds, when present, and checks counts only.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from ingest.knowledgenet import KnowledgeNetError, load_passages, summarize

PROPS = {
    "SUBSIDIARY_OF": "1",
    "FOUNDED_BY": "2",
    "EMPLOYEE_OR_MEMBER_OF": "3",
    "CEO": "4",
    "EDUCATED_AT": "9",
    "SPOUSE": "25",
}


def _doc(doc_id: str, fold: int, passages: list[tuple[str, list[str], list[tuple]]]) -> dict:
    """Build a KnowledgeNet-shaped document.

    Each passage is (sentence, exhaustively annotated properties, facts); a fact is
    (property, subject text, subject uri, object text, object uri), each text taken at
    its first occurrence in the sentence.
    """
    text, out = "", []
    for k, (sentence, props, facts) in enumerate(passages):
        if text:
            text += " "
        start = len(text)
        text += sentence
        pfacts = []
        for j, (prop, s, s_uri, o, o_uri) in enumerate(facts):
            ss, os_ = start + sentence.index(s), start + sentence.index(o)
            pfacts.append(
                {
                    "factId": f"{doc_id}:{k}:{j}",
                    "propertyId": PROPS[prop],
                    "humanReadable": "",
                    "subjectStart": ss,
                    "subjectEnd": ss + len(s),
                    "subjectText": s,
                    "subjectUri": s_uri,
                    "objectStart": os_,
                    "objectEnd": os_ + len(o),
                    "objectText": o,
                    "objectUri": o_uri,
                }
            )
        out.append(
            {
                "passageId": f"{doc_id}:{start}:{len(text)}",
                "passageStart": start,
                "passageEnd": len(text),
                "passageText": sentence,
                "exhaustivelyAnnotatedProperties": [
                    {"propertyId": PROPS[p], "propertyName": p, "propertyDescription": ""} for p in props
                ],
                "facts": pfacts,
            }
        )
    return {
        "fold": fold,
        "documentId": doc_id,
        "source": "synthetic",
        "documentText": text,
        "reconstructed": True,
        "passages": out,
    }


Q = "http://www.wikidata.org/entity/"
DOCS = [
    _doc(
        "1",
        1,
        [
            (
                "Mira Quell, who runs Ferrow Labs, sat on a panel with Tobin Asker of Dunmore Group.",
                ["CEO", "EMPLOYEE_OR_MEMBER_OF", "SUBSIDIARY_OF"],  # no subsidiary stated here
                [
                    ("CEO", "Ferrow Labs", Q + "Q101", "Mira Quell", Q + "Q100"),
                    ("EMPLOYEE_OR_MEMBER_OF", "Tobin Asker", Q + "Q102", "Dunmore Group", Q + "Q103"),
                ],
            ),
            (
                "Ferrow Labs is a unit of Dunmore Group.",
                ["SUBSIDIARY_OF"],
                [("SUBSIDIARY_OF", "Ferrow Labs", Q + "Q101", "Dunmore Group", Q + "Q103")],
            ),
            ("She founded it in a garage.", ["FOUNDED_BY"], [("FOUNDED_BY", "it", Q + "Q101", "She", Q + "Q100")]),
            # names Tobin Asker and Dunmore Group again, in a sentence not annotated for CEO
            (
                "Tobin Asker married Ada Venn at a lodge of Dunmore Group.",
                ["SPOUSE"],
                [("SPOUSE", "Tobin Asker", Q + "Q102", "Ada Venn", "")],
            ),
        ],
    ),
    _doc(
        "2",
        2,
        [
            (
                "Harlow Holdings set up Brindle Works, and Vantor is part of Brindle Works.",
                ["FOUNDED_BY", "SUBSIDIARY_OF"],
                [
                    ("FOUNDED_BY", "Brindle Works", "", "Harlow Holdings", ""),
                    ("SUBSIDIARY_OF", "Vantor", Q + "Q200", "Brindle Works", ""),
                ],
            ),
            (
                "Ada Venn met Tobin Asker at Corran College.",
                ["SPOUSE", "EDUCATED_AT"],
                [
                    ("SPOUSE", "Ada Venn", "", "Tobin Asker", ""),
                    ("EDUCATED_AT", "Ada Venn", "", "Corran College", ""),
                    ("EDUCATED_AT", "Tobin Asker", "", "Corran College", ""),
                ],
            ),
        ],
    ),
    _doc(
        "3",
        3,
        [
            (
                "Quay Mills was started by Vantor and by Pell Varn; Pell Varn works at Quay Mills.",
                ["FOUNDED_BY", "EMPLOYEE_OR_MEMBER_OF"],
                [
                    ("FOUNDED_BY", "Quay Mills", "", "Vantor", Q + "Q200"),
                    ("FOUNDED_BY", "Quay Mills", "", "Pell Varn", ""),
                    ("EMPLOYEE_OR_MEMBER_OF", "Pell Varn", "", "Quay Mills", ""),
                ],
            ),
            (
                "Pell Varn said he left Quay Mills.",
                ["EMPLOYEE_OR_MEMBER_OF"],
                [("EMPLOYEE_OR_MEMBER_OF", "he", "", "Quay Mills", "")],
            ),
        ],
    ),
]


def _write(tmp_path: Path, docs: list[dict], extra_lines: tuple[str, ...] = ()) -> Path:
    path = tmp_path / "kn.jsonl"
    lines = [json.dumps(d) for d in docs] + list(extra_lines)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _triples(record: dict, kind: str = "relations") -> set[tuple[str, str, str]]:
    return {(r["subject"], r["predicate"], r["object"]) for r in record.get(kind, [])}


def _types(record: dict) -> dict[str, str]:
    return {e["name"]: e["type"] for e in record["entities"]}


def test_ceo_and_founded_by_are_turned_around_subsidiary_and_employee_are_not(tmp_path):
    [rec] = load_passages(_write(tmp_path, DOCS), {1})
    assert rec["id"] == "kn-1" and rec["fold"] == 1
    assert _triples(rec) == {
        ("Mira Quell", "leads", "Ferrow Labs"),
        ("Mira Quell", "founded", "Ferrow Labs"),  # through the pronouns' URIs
        ("Ferrow Labs", "subsidiaryOf", "Dunmore Group"),
        ("Tobin Asker", "worksFor", "Dunmore Group"),
    }
    ents = {e["name"]: e for e in rec["entities"]}
    assert ents["Mira Quell"]["type"] == "Person" and "She" in ents["Mira Quell"]["aliases"]
    assert ents["Ferrow Labs"]["type"] == "Organization" and "it" in ents["Ferrow Labs"]["aliases"]
    assert ents["Ada Venn"]["type"] == "Person"
    # every name and alias occurs verbatim in the record's text
    for e in rec["entities"]:
        for t in [e["name"], *e["aliases"]]:
            assert t in rec["text"]


def test_negatives_come_only_from_passages_exhaustive_for_the_property(tmp_path):
    recs = {r["id"]: r for r in load_passages(_write(tmp_path, DOCS), {1, 2})}
    assert _triples(recs["kn-1"], "negatives") == {
        ("Tobin Asker", "leads", "Ferrow Labs"),
        ("Mira Quell", "leads", "Dunmore Group"),
        # ("Tobin Asker", "leads", "Dunmore Group") is left out: the last sentence names
        # both and was not annotated for CEO
        ("Mira Quell", "worksFor", "Dunmore Group"),
        ("Tobin Asker", "worksFor", "Ferrow Labs"),
        # ("Mira Quell", "worksFor", "Ferrow Labs") is left out: she leads it
        ("Dunmore Group", "subsidiaryOf", "Ferrow Labs"),
    }
    # the sentence about Corran College was annotated for SPOUSE and EDUCATED_AT only:
    # no worksFor negative for its person-organization pairs
    assert all(n["object"] != "Corran College" for n in recs["kn-2"].get("negatives", []))
    assert _triples(recs["kn-2"], "negatives") == {
        ("Brindle Works", "founded", "Harlow Holdings"),
        ("Vantor", "founded", "Harlow Holdings"),
        ("Vantor", "founded", "Brindle Works"),
        ("Harlow Holdings", "founded", "Vantor"),
        ("Brindle Works", "founded", "Vantor"),
        ("Brindle Works", "subsidiaryOf", "Harlow Holdings"),
        ("Brindle Works", "subsidiaryOf", "Vantor"),
        ("Harlow Holdings", "subsidiaryOf", "Brindle Works"),
        ("Harlow Holdings", "subsidiaryOf", "Vantor"),
        ("Vantor", "subsidiaryOf", "Harlow Holdings"),
    }
    for rec in recs.values():
        assert not _triples(rec) & _triples(rec, "negatives")


def test_folds_are_filtered(tmp_path):
    path = _write(tmp_path, DOCS)
    assert [r["id"] for r in load_passages(path, {2})] == ["kn-2"]
    assert [r["id"] for r in load_passages(path, {1, 3})] == ["kn-1", "kn-3"]
    assert load_passages(path, {4}) == []
    assert set(summarize(load_passages(path, {1, 2, 3}))) == {1, 2, 3}


def test_founder_types_follow_the_evidence(tmp_path):
    recs = {r["id"]: r for r in load_passages(_write(tmp_path, DOCS), {2, 3})}
    assert _types(recs["kn-2"])["Harlow Holdings"] == "Organization"  # a company word
    t3 = _types(recs["kn-3"])
    assert t3["Vantor"] == "Organization"  # its URI is a SUBSIDIARY_OF subject in document 2
    assert t3["Pell Varn"] == "Person"  # an employee in its own document
    assert _triples(recs["kn-3"]) == {
        ("Vantor", "founded", "Quay Mills"),
        ("Pell Varn", "founded", "Quay Mills"),
        ("Pell Varn", "worksFor", "Quay Mills"),
        # "he left Quay Mills": a pronoun without a URI names nobody, so it gives no relation
    }


def test_a_founder_without_evidence_is_a_person(tmp_path):
    doc = _doc(
        "9",
        1,
        [("Sela Brook started Marlin Yard.", ["FOUNDED_BY"], [("FOUNDED_BY", "Marlin Yard", "", "Sela Brook", "")])],
    )
    [rec] = load_passages(_write(tmp_path, [doc]), {1})
    assert _types(rec) == {"Sela Brook": "Person", "Marlin Yard": "Organization"}
    assert _triples(rec) == {("Sela Brook", "founded", "Marlin Yard")}


def test_duplicate_facts_give_one_relation(tmp_path):
    sentence = "Orla Penn is the chief of Tessen Bay."
    doc = _doc(
        "5",
        1,
        [
            (sentence, ["CEO"], [("CEO", "Tessen Bay", "", "Orla Penn", "")]),
            (sentence, ["CEO"], [("CEO", "Tessen Bay", "", "Orla Penn", "")]),
        ],
    )
    [rec] = load_passages(_write(tmp_path, [doc]), {1})
    assert rec["relations"] == [{"subject": "Orla Penn", "predicate": "leads", "object": "Tessen Bay"}]
    assert len(rec["entities"]) == 2


@pytest.mark.parametrize(
    "bad, says",
    [
        ("{not json", "not JSON"),
        ('{"fold": 1, "documentId": "7", "documentText": "x"}', "'passages'"),
        ("[1, 2]", "expected a JSON object"),
    ],
)
def test_a_malformed_line_stops_the_load_with_a_one_line_error_naming_it(tmp_path, bad, says):
    path = _write(tmp_path, DOCS[:1], (bad,))
    with pytest.raises(KnowledgeNetError) as err:
        load_passages(path, {1})
    msg = str(err.value)
    assert f"{path}:2:" in msg and says in msg and "\n" not in msg


def test_offsets_outside_the_passage_are_an_error(tmp_path):
    doc = _doc("8", 1, [("Ivo Lark runs Sallow Inc.", ["CEO"], [("CEO", "Sallow Inc", "", "Ivo Lark", "")])])
    doc["passages"][0]["facts"][0]["objectEnd"] = 500
    with pytest.raises(KnowledgeNetError, match=r":1: passage 0: fact 0: object offsets"):
        load_passages(_write(tmp_path, [doc]), {1})


def test_a_missing_file_is_a_one_line_error(tmp_path):
    with pytest.raises(KnowledgeNetError, match="cannot read"):
        load_passages(tmp_path / "absent.jsonl", {1})


REAL = Path(os.environ.get("AIKG_KNOWLEDGENET") or "/work/shared/benchmarks/knowledgenet/knowledgenet-folds1-3.jsonl")


@pytest.mark.skipif(not REAL.is_file(), reason="KnowledgeNet not present (set AIKG_KNOWLEDGENET)")
def test_the_real_training_folds_give_plausible_counts():
    records = load_passages(REAL, {1, 2})
    assert len(records) > 1000
    assert {r["fold"] for r in records} == {1, 2}
    per = {p: 0 for p in ("leads", "founded", "subsidiaryOf", "worksFor")}
    for r in records:
        names = {e["name"] for e in r["entities"]}
        for rel in r["relations"] + r.get("negatives", []):
            assert rel["subject"] in names and rel["object"] in names
        for rel in r["relations"]:
            per[rel["predicate"]] += 1
    assert min(per.values()) > 100, per
