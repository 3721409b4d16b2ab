"""The relation rules' word lists (ingest/data/rule_words.json): the shipped file and the loader's checks."""

import json
import os
import re
import shutil
import subprocess
import sys
from dataclasses import fields
from pathlib import Path

import pytest

from ingest.relations import DEFAULT_RULE_WORDS, WORDS, RuleWords, load_rule_words

PACKAGE = Path(__file__).resolve().parents[2] / "ingest" / "relations"


def test_shipped_lists_load_and_are_the_ones_the_rules_read():
    assert load_rule_words() == WORDS
    assert DEFAULT_RULE_WORDS.name == "rule_words.json"
    source = "\n".join(p.read_text(encoding="utf-8") for p in PACKAGE.rglob("*.py"))
    used = set(re.findall(r"\bWORDS\.([a-z_]+)", source))
    # every list in the file is read by some rule, and every list a rule reads is in the file
    assert used == {f.name for f in fields(RuleWords)}


def _bad(tmp_path, change) -> str:
    """Write the shipped file with ``change`` applied; return the loader's error message."""
    data = json.loads(DEFAULT_RULE_WORDS.read_text(encoding="utf-8"))
    change(data)
    path = tmp_path / "rule_words.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(ValueError) as err:
        load_rule_words(path)
    msg = str(err.value)
    assert "\n" not in msg and msg.startswith(str(path))
    return msg


def test_unknown_list(tmp_path):
    msg = _bad(tmp_path, lambda d: d.update(neg_lemma={"about": "typo", "words": ["deny"]}))
    assert "unknown word list 'neg_lemma'" in msg


def test_missing_list(tmp_path):
    msg = _bad(tmp_path, lambda d: d.pop("hedge_lemmas"))
    assert "missing word list 'hedge_lemmas'" in msg


def test_non_string_word(tmp_path):
    msg = _bad(tmp_path, lambda d: d["round_nouns"]["words"].append(3))
    assert "'round_nouns'" in msg and "3 is not a word" in msg


def test_duplicate_word(tmp_path):
    msg = _bad(tmp_path, lambda d: d["product_nouns"]["words"].append("tool"))
    assert "'product_nouns'" in msg and "'tool' is listed twice" in msg


def test_word_with_capitals(tmp_path):
    msg = _bad(tmp_path, lambda d: d["neg_lemmas"]["words"].append("Deny"))
    assert "'neg_lemmas'" in msg and "'Deny' has capitals" in msg


def test_list_without_description(tmp_path):
    msg = _bad(tmp_path, lambda d: d["staff"].pop("about"))
    assert "'staff'" in msg


def test_file_that_is_not_json(tmp_path):
    path = tmp_path / "rule_words.json"
    path.write_text('{"shares": {"about": "x", "words": ["%",]}}\n', encoding="utf-8")
    with pytest.raises(ValueError, match=r"^.*rule_words\.json: cannot read the rule word lists") as err:
        load_rule_words(path)
    assert "\n" not in str(err.value)


def test_missing_file(tmp_path):
    with pytest.raises(ValueError, match="cannot read the rule word lists"):
        load_rule_words(tmp_path / "nowhere.json")


def test_cli_reports_a_broken_shipped_file_in_one_line(tmp_path):
    """A copy of the packages whose rule_words.json has a bad word: `aikg extract` says so and exits 1."""
    repo = PACKAGE.parents[1]
    for pkg in ("aikg", "kg", "ingest", "ontology"):
        shutil.copytree(repo / pkg, tmp_path / pkg, ignore=shutil.ignore_patterns("__pycache__"))
    broken = tmp_path / "ingest" / "data" / "rule_words.json"
    data = json.loads(broken.read_text(encoding="utf-8"))
    data["neg_lemmas"]["words"].append("Deny")
    broken.write_text(json.dumps(data), encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"} | {"PYTHONPATH": str(tmp_path)}
    proc = subprocess.run(
        [sys.executable, "-c", "from aikg.cli import main; main()", "extract", "-"],
        input="Microsoft acquired GitHub.",
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=120,
    )
    assert proc.returncode == 1
    assert proc.stderr.strip() == (
        f"aikg: error: {broken}: word list 'neg_lemmas': 'Deny' has capitals; the rules match lower case"
    )
    assert proc.stdout == ""
