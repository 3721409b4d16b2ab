"""The gold sets are well formed, and the extractor keeps its measured quality on them.

``tests/gold`` is the development set (the issue's targets apply to it);
``tests/gold_blind`` and ``tests/gold_long`` were written without looking at the
extractor and are only scored, so their floors guard against a change that helps the
development set by hurting everything else. ``tests/gold_examples`` annotates the demo
corpus (``examples/articles``); it is a target set, checked here for form only.
"""

import json
import re
from pathlib import Path

import pytest

from ingest.eval import evaluate
from ingest.relations import SIGNATURES
from kg.model import PREDICATES

GOLD_ROOT = Path(__file__).resolve().parents[1]
GOLD_DIRS = [d for d in ("gold", "gold_blind", "gold_long") if (GOLD_ROOT / d).is_dir()]
# The numbered blind rounds (26 on; 26-30 calibrate the model since stop 51, the later ones are
# held out): checked for form here, every round as soon as its directory exists; scored only on
# purpose (their READMEs log it).
HELD_OUT_DIRS = [
    p.name
    for p in sorted(GOLD_ROOT.iterdir(), key=lambda p: (len(p.name), p.name))
    if p.is_dir() and re.fullmatch(r"gold_(blind|long)\d+", p.name)
]
# The demo corpus's gold set and the 2026-12-06 development set of real news (read for
# errors): checked for form here; their figures are in their READMEs and training/README.md.
EXAMPLE_DIRS = [d for d in ("gold_examples", "gold_dev27") if (GOLD_ROOT / d).is_dir()]
TYPES = {"Organization", "Person", "AIModel", "Product"}


def _gold_files():
    for d in GOLD_DIRS + HELD_OUT_DIRS + EXAMPLE_DIRS:
        for path in sorted((GOLD_ROOT / d).glob("*.json")):
            yield pytest.param(path, id=f"{d}/{path.stem}")


@pytest.mark.parametrize("path", list(_gold_files()))
def test_gold_file_is_well_formed(path):
    gold = json.loads(path.read_text(encoding="utf-8"))
    assert gold["id"] == path.stem
    text = gold["text"]
    names = {}
    for e in gold["entities"]:
        assert e["type"] in TYPES, e
        names[e["name"]] = e["type"]
        for alias in e.get("aliases", []):
            assert alias in text, f"alias {alias!r} of {e['name']!r} is not in the text"
    for r in gold["relations"] + gold.get("negatives", []):
        assert r["predicate"] in PREDICATES, r
        assert r["subject"] in names and r["object"] in names, r
        dom, rng = SIGNATURES[r["predicate"]]
        assert names[r["subject"]] in dom and names[r["object"]] in rng, r


@pytest.fixture(scope="module")
def reports(extractor):
    return {d: evaluate(GOLD_ROOT / d, extractor) for d in GOLD_DIRS}


def test_dev_set_meets_the_issue_targets(reports):
    r = reports["gold"]
    p, _, f1 = r.relation_prf
    assert f1 >= 0.75, r.format()
    assert p >= 0.80, r.format()
    assert r.entity_prf[2] >= 0.90, r.format()
    assert r.negatives_extracted <= 2, r.format()


@pytest.mark.skipif("gold_blind" not in GOLD_DIRS, reason="no blind set")
def test_blind_set_keeps_its_floor(reports):
    # measured 0.81 / 0.60 when the floor was set; a drop below means a change traded
    # generality for the development set
    r = reports["gold_blind"]
    p, _, f1 = r.relation_prf
    assert p >= 0.75, r.format()
    assert f1 >= 0.55, r.format()
    assert r.negatives_extracted <= 1, r.format()
