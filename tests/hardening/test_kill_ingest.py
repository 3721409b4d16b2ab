"""``kill -9`` of a running ``aikg ingest``, twenty times: nothing half-written, nothing lost.

Each round starts ``aikg ingest`` on the 200-article corpus (batches of 10) against the
store the previous round left (when it holds under half the corpus, so that resuming
after a kill is exercised too; otherwise a fresh store), and kills it with SIGKILL after a seeded random delay
spread over the whole run (model loading included). After every kill the store must
open, conform to the shapes, hold a whole number of batches (exactly the first 10*k
articles of the input, since batches commit in order), hold every article complete
(as many quads as in a clean run), and keep the default graph equal to the union of
the article graphs. A store that reaches all 200 (a run that finished before its kill)
must equal a clean run; the last killed store is completed by running again.
"""

from __future__ import annotations

import json
import random
import shutil
import signal
import subprocess
import time

import pytest

from kg.store import LocalStore

from .conftest import (
    aikg_bin, assert_whole_batches, child_env, incomplete, inspect_store, kill_group, run_ingest,
)

pytestmark = [pytest.mark.slow]

KILLS = 20
BATCH = 10
BUDGET_S = 170


def test_kill_9_during_ingest_loses_nothing_committed(corpus200, reference200, tmp_path):
    path, records = corpus200
    order = [r["url"] for r in records]
    rnd = random.Random(20261125)
    longest = max(reference200.seconds, 3.0)
    log: list[dict] = []
    kills = completions = resumed_completions = 0
    store = tmp_path / "store-0"
    started = time.monotonic()
    rounds = 0
    partial_store = None
    # On a slower machine a clean run takes longer and so does every round: scale the budget.
    budget = max(BUDGET_S, 1.5 * KILLS * (longest / 2 + 2))
    while kills < KILLS and time.monotonic() - started < budget:
        rounds += 1
        delay = rnd.uniform(0.3, longest)
        proc = subprocess.Popen(
            [aikg_bin(), "ingest", str(path), "--store", str(store), "--batch-size", str(BATCH), "--json"],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=child_env(), start_new_session=True,
        )
        try:
            proc.wait(timeout=delay)
            finished = True
        except subprocess.TimeoutExpired:
            finished = False
        finally:
            kill_group(proc, signal.SIGKILL)
        out, err = proc.communicate()
        if not (store / "CURRENT").exists():
            # Killed before the store directory was created: nothing to inspect yet.
            log.append({"round": rounds, "delay": round(delay, 2), "batches": 0, "note": "before open"})
            kills += 1
            continue
        check, urls, sizes = inspect_store(store)
        assert check.conforms, f"round {rounds}: store does not conform after kill"
        assert check.union_ok, f"round {rounds}: default graph differs from the union of article graphs"
        assert check.orphan_graphs == 0, f"round {rounds}: a named graph without article metadata"
        assert check.distinct_urls == check.articles, f"round {rounds}: an article is stored twice"
        k = assert_whole_batches(urls, order, BATCH)
        partial = incomplete(sizes, reference200.sizes)
        assert not partial, f"round {rounds}: articles not complete (quads held, expected): {partial}"
        entry = {"round": rounds, "delay": round(delay, 2), "batches": k, "killed": not finished}
        log.append(entry)
        if finished:
            assert proc.returncode == 0, err.decode()
            assert check.articles == len(order)
            completions += 1
            resumed_completions += json.loads(out)["unchanged"] > 0
        else:
            kills += 1
        if check.articles == len(order):
            assert sizes == reference200.sizes
        if 0 < check.articles < len(order):
            partial_store = store
        if check.articles * 2 >= len(order):
            store = tmp_path / f"store-{rounds}"
    assert kills >= KILLS, f"only {kills} kills landed in {budget:.0f} s: {log}"
    # The last store a kill left part-filled is completed by running the same command again.
    assert partial_store is not None, f"no kill landed mid-run: {log}"
    done = run_ingest([str(path)], str(partial_store), batch_size=BATCH)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["unchanged"] > 0
    check, urls, sizes = inspect_store(partial_store)
    assert (check.articles, check.distinct_urls) == (200, 200)
    assert check.union_ok and check.conforms
    assert sizes == reference200.sizes
    print(json.dumps({"kills": kills, "rounds": rounds, "completions": completions,
                      "resumed_completions": resumed_completions, "log": log}))


REPLACE_KILLS = 10


def test_kill_9_while_replacing_articles_leaves_old_or_new_never_both(corpus200, reference200, tmp_path):
    """New texts at the same 200 urls: each batch drops old graphs and inserts new ones in one update."""
    _, records = corpus200
    order = [r["url"] for r in records]
    revised = tmp_path / "revised.jsonl"
    revised.write_text("".join(json.dumps({**r, "text": r["text"] + " The deal was revised later."}) + "\n"
                               for r in records), encoding="utf-8")
    new_ref = tmp_path / "new-reference"
    done = run_ingest([str(revised)], str(new_ref), batch_size=BATCH)
    assert done.returncode == 0, done.stderr
    new_sizes = inspect_store(new_ref)[2]
    old_ids = {r["u"].value: r["h"].value for r in _ids(reference200.store)}
    rnd = random.Random(7)
    longest = max(reference200.seconds, 3.0)
    kills, rounds, seen = 0, 0, []
    started = time.monotonic()
    budget = max(90, 1.5 * REPLACE_KILLS * (longest / 2 + 3))
    while kills < REPLACE_KILLS and time.monotonic() - started < budget:
        rounds += 1
        store = tmp_path / f"replace-{rounds}"
        shutil.copytree(reference200.store, store)
        proc = subprocess.Popen(
            [aikg_bin(), "ingest", str(revised), "--store", str(store), "--batch-size", str(BATCH), "--json"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=child_env(), start_new_session=True)
        try:
            proc.wait(timeout=rnd.uniform(1.0, longest))
        except subprocess.TimeoutExpired:
            kills += 1
        finally:
            kill_group(proc, signal.SIGKILL)
        check, urls, sizes = inspect_store(store)
        assert (check.articles, check.distinct_urls) == (200, 200), f"round {rounds}: an article lost or doubled"
        assert check.union_ok and check.conforms and check.orphan_graphs == 0, f"round {rounds}: {check}"
        with LocalStore(store) as s:
            texts = {r["u"].value: r["h"].value for r in s.query(
                "SELECT ?u ?h WHERE { GRAPH ?g { ?g <https://schema.org/url> ?u ; "
                "<https://w3id.org/aikg/ontology#sha256> ?h } }")}
        replaced = [u for u in order if texts[u] != old_ids[u]]
        assert replaced == order[: len(replaced)] and len(replaced) % BATCH == 0, f"round {rounds}: {len(replaced)}"
        for u in order:
            want = new_sizes[u] if u in replaced else reference200.sizes[u]
            assert sizes[u] == want, f"round {rounds}: {u} holds {sizes[u]} quads, a whole version has {want}"
        seen.append(len(replaced) // BATCH)
    assert kills >= REPLACE_KILLS, f"only {kills} kills landed: {seen}"
    print(json.dumps({"replace_kills": kills, "batches_replaced_at_kill": seen}))


def _ids(store_dir):
    with LocalStore(store_dir, read_only=True) as s:
        return list(s.query("SELECT ?u ?h WHERE { GRAPH ?g { ?g <https://schema.org/url> ?u ; "
                            "<https://w3id.org/aikg/ontology#sha256> ?h } }"))
