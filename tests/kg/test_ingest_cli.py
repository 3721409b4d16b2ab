"""`aikg ingest` / `aikg delete` end to end: real readers, real spaCy pipeline, real store."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from kg.store import LocalStore
from kg.validate import validate_store

pytestmark = pytest.mark.slow

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "articles"


def aikg(*args, stdin=None):
    return subprocess.run([sys.executable, "-m", "kg.cli", *args], input=stdin, capture_output=True,
                          text=True, timeout=600)


@pytest.fixture(scope="module")
def corpus_store(tmp_path_factory):
    store = tmp_path_factory.mktemp("ingest") / "store"
    proc = aikg("ingest", str(EXAMPLES), "--store", str(store), "--json")
    assert proc.returncode == 0, proc.stderr
    return store, json.loads(proc.stdout)


def test_sample_corpus_ingests_and_validates(corpus_store):
    store, summary = corpus_store
    n = len(list(EXAMPLES.glob("*.md")))
    assert summary["articles"] == summary["new"] == n
    assert summary["skipped"] == []
    assert summary["relations"] > 2 * n
    with LocalStore(store) as s:
        report = validate_store(s)
        assert report.conforms, report.format()
        urls = [r["u"].value for r in s.query("SELECT ?u WHERE { ?a <https://schema.org/url> ?u }")]
        assert len(urls) == len(set(urls)) == n


def test_second_run_changes_nothing(corpus_store, tmp_path):
    store, _ = corpus_store
    with LocalStore(store) as s:
        before = len(s)
    proc = aikg("ingest", str(EXAMPLES), "--store", str(store), "--json")
    summary = json.loads(proc.stdout)
    assert (summary["new"], summary["unchanged"], summary["relations"]) == (0, summary["articles"], 0)
    with LocalStore(store) as s:
        assert len(s) == before


def test_changed_text_under_same_url_replaces_then_delete_removes(tmp_path):
    store = tmp_path / "store"
    src = tmp_path / "a.md"
    src.write_text("---\ntitle: Deal\nurl: https://news.example.org/deal\npublished: 2024-02-26\n---\n"
                   "Microsoft invested in Mistral AI, the Paris-based startup said on Monday.\n")
    assert aikg("ingest", str(src), "--store", str(store), "--quiet").returncode == 0
    src.write_text("---\ntitle: Deal\nurl: https://news.example.org/deal\npublished: 2024-02-27\n---\n"
                   "Amazon invested in Anthropic, the San Francisco startup said on Tuesday.\n")
    proc = aikg("ingest", str(src), "--store", str(store), "--json")
    summary = json.loads(proc.stdout)
    assert summary["replaced"] == 1
    with LocalStore(store) as s:
        labels = {r["l"].value for r in s.query(
            "SELECT ?l WHERE { ?e <http://www.w3.org/2000/01/rdf-schema#label> ?l }")}
    assert "Anthropic" in labels and "Mistral AI" not in labels
    proc = aikg("delete", "https://news.example.org/deal", "--store", str(store))
    assert proc.returncode == 0 and "deleted 1 article" in proc.stdout
    with LocalStore(store) as s:
        assert len(s) == 0
    assert aikg("delete", "https://news.example.org/none", "--store", str(store)).returncode == 1


def test_bad_files_are_reported_and_skipped(tmp_path):
    d = tmp_path / "in"
    d.mkdir()
    (d / "empty.txt").write_text("")
    (d / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(64))
    shutil.copy(EXAMPLES / "07-microsoft-mistral-partnership.md", d / "good.md")
    proc = aikg("ingest", str(d), "--store", str(tmp_path / "store"))
    assert proc.returncode == 0, proc.stderr
    assert "skipped" in proc.stderr and "empty.txt" in proc.stderr and "image.txt" in proc.stderr
    assert "1 articles (1 new" in proc.stderr


def test_nothing_readable_exits_1(tmp_path):
    (tmp_path / "empty.txt").write_text("   ")
    proc = aikg("ingest", str(tmp_path / "empty.txt"), "--store", str(tmp_path / "store"))
    assert proc.returncode == 1


def test_bad_date_is_usage_error(tmp_path):
    proc = aikg("ingest", str(EXAMPLES), "--date", "yesterday", "--store", str(tmp_path / "s"))
    assert proc.returncode == 2 and "YYYY-MM-DD" in proc.stderr


def test_stdin_jsonl(tmp_path):
    lines = "\n".join(json.dumps({"text": t, "url": f"https://news.example.org/{i}", "published": "2024-06-10"})
                      for i, t in enumerate(["Apple partnered with OpenAI to bring ChatGPT to Siri.",
                                             "Nvidia supplies H100 chips to Meta for Llama training."]))
    proc = aikg("ingest", "-", "--store", str(tmp_path / "store"), "--json", stdin=lines)
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["new"] == 2
