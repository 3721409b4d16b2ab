"""`aikg ingest` / `aikg delete` end to end: real readers, real spaCy pipeline, real store."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from kg.store import LocalStore
from kg.validate import validate_store

pytestmark = pytest.mark.slow

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "articles"


def aikg(*args, stdin=None):
    return subprocess.run(
        [sys.executable, "-m", "aikg", *args], input=stdin, capture_output=True, text=True, timeout=600
    )


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
    src.write_text(
        "---\ntitle: Deal\nurl: https://news.example.org/deal\npublished: 2024-02-26\n---\n"
        "Microsoft invested in Mistral AI, the Paris-based startup said on Monday.\n"
    )
    assert aikg("ingest", str(src), "--store", str(store), "--quiet").returncode == 0
    src.write_text(
        "---\ntitle: Deal\nurl: https://news.example.org/deal\npublished: 2024-02-27\n---\n"
        "Amazon invested in Anthropic, the San Francisco startup said on Tuesday.\n"
    )
    proc = aikg("ingest", str(src), "--store", str(store), "--json")
    summary = json.loads(proc.stdout)
    assert summary["replaced"] == 1
    with LocalStore(store) as s:
        labels = {
            r["l"].value for r in s.query("SELECT ?l WHERE { ?e <http://www.w3.org/2000/01/rdf-schema#label> ?l }")
        }
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
    # Each skipped file is reported once, in one plain line (no log WARNING beside it).
    for name, reason in (("empty.txt", "empty file"), ("image.txt", "binary file (PNG image)")):
        assert [ln for ln in proc.stderr.splitlines() if name in ln] == [f"skipped {d / name}: {reason}"]
    assert "WARNING" not in proc.stderr
    assert "1 articles (1 new" in proc.stderr


def test_nothing_readable_is_bad_input_exit_2(tmp_path):
    (tmp_path / "empty.txt").write_text("   ")
    proc = aikg("ingest", str(tmp_path / "empty.txt"), "--store", str(tmp_path / "store"))
    assert proc.returncode == 2, proc.stderr
    assert [ln for ln in proc.stderr.splitlines() if "empty.txt" in ln] == [
        f"skipped {tmp_path / 'empty.txt'}: empty file"
    ]
    missing = aikg("ingest", str(tmp_path / "nowhere.md"), "--store", str(tmp_path / "store"))
    assert missing.returncode == 2 and "nowhere.md: unreadable: no such file" in missing.stderr


def test_bad_date_is_usage_error(tmp_path):
    proc = aikg("ingest", str(EXAMPLES), "--date", "yesterday", "--store", str(tmp_path / "s"))
    assert proc.returncode == 2 and "YYYY-MM-DD" in proc.stderr


def test_stdin_jsonl(tmp_path):
    lines = "\n".join(
        json.dumps({"text": t, "url": f"https://news.example.org/{i}", "published": "2024-06-10"})
        for i, t in enumerate(
            [
                "Apple partnered with OpenAI to bring ChatGPT to Siri.",
                "Nvidia supplies H100 chips to Meta for Llama training.",
            ]
        )
    )
    proc = aikg("ingest", "-", "--store", str(tmp_path / "store"), "--json", stdin=lines)
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["new"] == 2


def test_extract_reports_each_skip_once_and_exits_2_when_nothing_was_read(tmp_path):
    (tmp_path / "empty.txt").write_text("")
    proc = aikg("extract", str(tmp_path / "empty.txt"))
    assert proc.returncode == 2
    assert proc.stderr.splitlines() == [f"skipped {tmp_path / 'empty.txt'}: empty file"]
    assert proc.stdout == ""


def test_eval_of_a_missing_directory_is_bad_input(tmp_path):
    proc = aikg("eval", str(tmp_path / "no-gold"))
    assert proc.returncode == 2
    assert proc.stderr.strip() == f"aikg: error: {tmp_path / 'no-gold'}: no such directory"


# ------------------------------------------------------------------ huge and long inputs


def _measured(*args: str, cwd: Path | None = None) -> tuple[subprocess.CompletedProcess, int]:
    """Run ``aikg ARGS`` under a small parent that reports the child's peak RSS in MB."""
    probe = (
        "import resource, subprocess, sys\n"
        "p = subprocess.run(sys.argv[1:])\n"
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024, file=sys.stderr)\n"
        "sys.exit(p.returncode)\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", probe, sys.executable, "-m", "aikg", *args],
        capture_output=True,
        text=True,
        timeout=600,
        cwd=cwd,
    )
    *lines, peak = proc.stderr.splitlines()
    proc.stderr = "\n".join(lines) + ("\n" if lines else "")
    return proc, int(peak)


def _one_line_text(path: Path, size: int, plain: int = 0) -> None:
    """Write ``size`` bytes of news-like prose on one line, as a new user's scraped dump might be.

    Each sentence naming companies is followed by ``plain`` sentences that name none.
    """
    sentence = (
        "Microsoft invested in OpenAI, and Nvidia said it supplies chips to Meta while "
        "Google competes with Anthropic in the market for large models. "
        + "Analysts wrote long notes about the week, and the markets moved slowly. "
        * plain
    )
    with path.open("w", encoding="utf-8") as fh:
        written = 0
        while written < size:
            fh.write(sentence)
            written += len(sentence)


def test_a_19_mb_one_line_article_is_skipped_in_one_line_with_memory_bounded(tmp_path):
    big = tmp_path / "dump.txt"
    _one_line_text(big, 19 * 1024 * 1024)
    started = time.monotonic()
    proc, peak_mb = _measured("ingest", str(big), "--store", str(tmp_path / "store"))
    seconds = time.monotonic() - started
    assert proc.returncode == 2, proc.stderr
    assert proc.stderr.splitlines()[0] == (
        f"skipped {big}: article too large (19.0 MB, limit 2.0 MB); raise the limit with --max-article-bytes"
    )
    assert "Traceback" not in proc.stderr and len(proc.stderr.splitlines()) == 2  # the skip, the summary
    assert peak_mb < 1024, f"peak RSS {peak_mb} MB"
    assert seconds < 120, f"took {seconds:.0f} s to say it skips"


def test_an_oversized_record_is_skipped_and_the_rest_ingested(tmp_path):
    corpus = tmp_path / "corpus.jsonl"
    small = {
        "url": "https://news.example.org/small",
        "published": "2024-06-10",
        "text": "Apple partnered with OpenAI to bring ChatGPT to Siri, the companies said.",
    }
    huge = {"url": "https://news.example.org/huge", "text": "Nvidia supplies chips to Meta. " * 100_000}
    corpus.write_text(json.dumps(huge) + "\n" + json.dumps(small) + "\n", encoding="utf-8")
    proc = aikg("ingest", str(corpus), "--store", str(tmp_path / "store"), "--json")
    assert proc.returncode == 0, proc.stderr
    summary = json.loads(proc.stdout)
    assert summary["new"] == 1
    huge_mb = f"{len(huge['text']) / 2**20:.1f} MB"
    assert summary["skipped"] == [
        {"source": f"{corpus}#1", "reason": f"article text too large ({huge_mb}, limit 2.0 MB)"}
    ]
    # The limit is the user's to set, either way.
    hint = "raise the limit with --max-article-bytes"
    lowered = aikg("extract", str(corpus), "--max-article-bytes", "50")
    assert lowered.returncode == 2
    assert lowered.stderr.splitlines() == [
        f"skipped {corpus}#1: article text too large ({huge_mb}, limit 50 bytes); {hint}",
        f"skipped {corpus}#2: article text too large ({len(small['text'])} bytes, limit 50 bytes); {hint}",
    ]


def test_a_long_article_is_parsed_in_pieces_with_progress_and_memory_bounded(tmp_path):
    """Under a terminal, a long one-line article shows which piece is being parsed."""
    import pty

    long_text = tmp_path / "long.txt"
    _one_line_text(long_text, 120_000, plain=4)
    probe = (
        "import os, pty, resource, sys\n"
        "out = bytearray()\n"
        "def read(fd):\n"
        "    data = os.read(fd, 65536)\n"
        "    out.extend(data)\n"
        "    return data\n"
        "status = pty.spawn(sys.argv[1:], read)\n"
        "open(os.environ['PTY_LOG'], 'wb').write(bytes(out))\n"
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024)\n"
        "sys.exit(os.waitstatus_to_exitcode(status))\n"
    )
    log = tmp_path / "terminal.log"
    assert pty  # the probe needs a POSIX terminal
    proc = subprocess.run(
        [
            sys.executable,
            "-c",
            probe,
            sys.executable,
            "-m",
            "aikg",
            "ingest",
            str(long_text),
            "--store",
            str(tmp_path / "store"),
        ],
        capture_output=True,
        text=True,
        timeout=600,
        env={**os.environ, "PTY_LOG": str(log), "COLUMNS": "160"},
        stdin=subprocess.DEVNULL,
    )
    screen = log.read_bytes().decode("utf-8", "replace")
    assert proc.returncode == 0, screen[-2000:]
    from ingest.pipeline import CHUNK_CHARS

    pieces = -(-120_000 // CHUNK_CHARS)  # cuts fall at paragraph or sentence ends: one more at most
    assert re.search(rf"long\.txt: piece \d+ of ({pieces}|{pieces + 1})\b", screen), screen[-2000:]
    assert "1 articles (1 new" in screen
    assert int(proc.stdout.split()[-1]) < 1024
    with LocalStore(tmp_path / "store") as s:
        n = len(list(s.query("SELECT ?st WHERE { ?st <http://www.w3.org/ns/prov#wasDerivedFrom> ?a }")))
    assert n > 100  # relations from every piece, not just the first


# ------------------------------------------------------------------ a server that refuses writes


@pytest.mark.server
@pytest.mark.parametrize(
    "server_token,client_token,status",
    [("right-token", "wrong-token", 401), ("right-token", None, 401), (None, "any-token", 403)],
)
def test_a_refused_write_says_the_token_is_wrong(tmp_path, server_token, client_token, status):
    from tests.servers import AikgServer

    server = AikgServer(tmp_path / "served", tmp_path, token=server_token, log_level="warning", verbose=False)
    server.start()
    url = server.url
    try:
        env = {k: v for k, v in os.environ.items() if not k.startswith("AIKG_")}
        if client_token:
            env["AIKG_TOKEN"] = client_token
        record = json.dumps(
            {"text": "Apple partnered with OpenAI to bring ChatGPT to Siri.", "url": "https://news.example.org/siri"}
        )
        proc = subprocess.run(
            [sys.executable, "-m", "aikg", "ingest", "-", "--store", url + "/sparql"],
            input=record,
            capture_output=True,
            text=True,
            timeout=300,
            env=env,
        )
        count = httpx.get(
            url + "/sparql",
            params={"query": "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"},
            headers={"Accept": "application/sparql-results+json"},
            timeout=10,
        ).json()
    finally:
        server.stop()
    assert proc.returncode == 1
    [line] = proc.stderr.splitlines()
    assert line.startswith(f"aikg: error: {url}/update refused the write ({status}): ")
    assert "token" in line and "AIKG_TOKEN" in line and line.endswith("(nothing was written)")
    assert "run the same command again" not in line.lower()
    assert count["results"]["bindings"][0]["n"]["value"] == "0"


def test_an_article_of_too_many_relations_is_reported_once_and_not_written(tmp_path):
    dense = tmp_path / "dense.txt"
    _one_line_text(dense, 100_000)  # four relations in every sentence
    proc, peak_mb = _measured("ingest", str(dense), "--store", str(tmp_path / "store"))
    assert proc.returncode == 2, proc.stderr
    first, summary = proc.stderr.splitlines()
    assert re.fullmatch(
        rf"skipped {re.escape(str(dense))}: too many relations \(\d,\d{{3}}, limit 2,000\); "
        r"not written",
        first,
    ), first
    assert summary.startswith("0 articles (0 new") and peak_mb < 1024
    with LocalStore(tmp_path / "store") as s:
        assert len(s) == 0
