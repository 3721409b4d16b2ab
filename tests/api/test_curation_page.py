"""/curation and /curation/suggestions.json in a real server process, and `--server` against it."""

from __future__ import annotations

import html
import json
import os
import re
import subprocess
import sys

import httpx
import pytest

from kg.store import LocalStore
from kg.suggest import likely_duplicates, likely_wrong
from tests.api.conftest import start_server, stop_server
from tests.kg.test_suggest import BANK, EVIL, EXTRACTIONS, FOUNDRY, HALCYON, HALCYON_TYPO, MIRA, build_store

pytestmark = pytest.mark.server


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    path = build_store(tmp_path_factory.mktemp("curation") / "store")
    with LocalStore(path, read_only=True) as s:
        expected = {"duplicates": likely_duplicates(s), "suspects": likely_wrong(s)}
    srv = start_server(path)
    yield srv, expected
    stop_server(srv)


def test_json_answers_both_lists_as_the_library_computes_them(served):
    srv, expected = served
    resp = httpx.get(srv.url + "/curation/suggestions.json", timeout=60)
    assert resp.status_code == 200
    assert resp.headers["content-type"].startswith("application/json")
    body = resp.json()
    assert body["duplicates"] == expected["duplicates"]
    assert body["suspects"] == expected["suspects"]
    only = httpx.get(srv.url + "/curation/suggestions.json", params={"list": "suspects", "limit": 2}, timeout=60).json()
    assert "duplicates" not in only and only["suspects"] == expected["suspects"][:2]


@pytest.mark.parametrize("params", [{"limit": 0}, {"limit": "many"}, {"list": "everything"}, {"min_score": 3}])
def test_bad_parameters_are_refused(served, params):
    srv, _ = served
    assert httpx.get(srv.url + "/curation/suggestions.json", params=params, timeout=60).status_code == 422


def test_page_lists_pairs_and_suspects_linked_to_entities_and_articles(served):
    srv, _ = served
    resp = httpx.get(srv.url + "/curation", timeout=60)
    assert resp.status_code == 200
    assert resp.headers["content-type"].startswith("text/html")
    assert "default-src 'none'" in resp.headers["content-security-policy"]
    page = resp.text
    assert f'href="/entity/{HALCYON.slug}"' in page and f'href="/entity/{HALCYON_TYPO.slug}"' in page
    assert f'href="/entity/{MIRA.slug}"' in page
    assert "subject Mira Castell is a Person; acquires takes an Organization as subject" in page
    banker = EXTRACTIONS[4].article
    assert f'href="/article/{banker.id}?min_confidence=0"' in page
    assert "<q>Mira Castell bought Tallis Foundry outright.</q>" in page
    # Every link on the page leads somewhere that answers.
    for href in sorted(set(re.findall(r'href="(/(?:entity|article)/[^"]+)"', page)))[:40]:
        assert httpx.get(srv.url + html.unescape(href), timeout=60).status_code == 200, href


def test_untrusted_names_and_sentences_are_escaped(served):
    srv, _ = served
    page = httpx.get(srv.url + "/curation", params={"limit": 1000, "low_confidence": 0.99}, timeout=60).text
    assert "<script>" not in page
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; Holdings" in page
    assert EVIL.slug in page


def test_the_command_asks_a_running_server(served):
    srv, expected = served
    env = {**os.environ, "AIKG_STORE": "/nonexistent/store/set/in/the/environment"}
    proc = subprocess.run(
        [sys.executable, "-m", "aikg", "curate", "suspects", "--server", srv.url, "--json"],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout) == expected["suspects"]
    proc = subprocess.run(
        [sys.executable, "-m", "aikg", "curate", "duplicates", "--server", srv.url + "/", "--json", "-n", "1"],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout) == expected["duplicates"][:1]


def test_the_command_reports_a_server_without_the_lists(served):
    srv, _ = served
    proc = subprocess.run(
        [sys.executable, "-m", "aikg", "curate", "suspects", "--server", srv.url + "/nothing-here"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 1
    assert re.match(
        r"aikg: error: http://127\.0\.0\.1:\d+/nothing-here/curation/suggestions\.json answered 404", proc.stderr
    )


def test_lists_follow_a_write_through_the_server(tmp_path):
    srv = start_server(build_store(tmp_path / "store"))
    try:
        _check_lists_follow_a_write(srv)
    finally:
        stop_server(srv)


def _check_lists_follow_a_write(srv) -> None:
    lists = srv.url + "/curation/suggestions.json"
    before = httpx.get(lists, params={"list": "suspects", "limit": 1000}, timeout=60).json()
    assert not any(r["subject"]["label"] == FOUNDRY.name and r["predicate"] == "sues" for r in before["suspects"])
    resp = httpx.post(
        srv.url + "/update",
        content=(
            "PREFIX aikg: <https://w3id.org/aikg/ontology#> PREFIX ent: <https://w3id.org/aikg/entity/> "
            f"INSERT DATA {{ ent:{FOUNDRY.slug} aikg:sues ent:{BANK.slug} }}"
        ),
        headers={"Content-Type": "application/sparql-update", "Authorization": "Bearer test-token-9f2c"},
        timeout=60,
    )
    assert resp.status_code in (200, 204), resp.text
    after = httpx.get(lists, params={"list": "suspects", "limit": 1000}, timeout=60).json()
    row = next(r for r in after["suspects"] if r["subject"]["label"] == FOUNDRY.name and r["predicate"] == "sues")
    # A triple written by hand has no statement: nothing backs it, and the list says so.
    assert row["reasons"] == ["no statement backs it"] and row["evidence"] == []
