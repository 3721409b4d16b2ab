"""``kill -9`` of a running ``aikg ingest``, twenty times: nothing half-written, nothing lost.

Each round starts ``aikg -v ingest`` on the 200-article corpus (batches of 10) against the
store the previous round left (when it holds under half the corpus, so that resuming
after a kill is exercised too; otherwise a fresh store), and kills it with SIGKILL at a
point chosen by events, not by the clock: a seeded random number of "batch N committed"
lines (the progress line ``-v`` prints after each commit), then a seeded random fraction
of a batch, so that the kill lands inside the next batch's extraction or commit. A round
that waits for no commit is killed at a random moment of start-up (model loading, store
opening) or at its first commit, whichever comes first. So every round kills a running
process however slow or busy the machine is; only a run that finishes during the last
fraction of a batch is not counted as a kill.

After every kill the store must open, conform to the shapes, hold a whole number of
batches (exactly the first 10*k articles of the input, since batches commit in order),
at least every batch the process had announced as committed and at most one more, every
article complete (as many quads as in a clean run), and keep the default graph equal to
the union of the article graphs. A store that reaches all 200 (a run that finished before
its kill) must equal a clean run; the last killed store is completed by running again.
"""

from __future__ import annotations

import json
import queue
import random
import re
import shutil
import signal
import statistics
import subprocess
import threading
import time
from pathlib import Path

import pytest

from kg.store import LocalStore

from .conftest import (
    aikg_bin,
    assert_whole_batches,
    child_env,
    incomplete,
    inspect_store,
    kill_group,
    run_ingest,
)

pytestmark = [pytest.mark.slow]

KILLS = 20
BATCH = 10
BATCHES = 20  # 200 articles
COMMITTED = re.compile(rb"batch (\d+) committed")
# A round that sees no progress for this long has hung: the test fails rather than waits.
STALL_S = 300


class Ingest:
    """``aikg -v ingest`` in its own session, its commit lines timed as they arrive."""

    def __init__(self, corpus: Path, store: Path):
        self.proc = subprocess.Popen(
            [aikg_bin(), "-v", "ingest", str(corpus), "--store", str(store), "--batch-size", str(BATCH), "--json"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=child_env(),
            start_new_session=True,
        )
        self.started = time.monotonic()
        self.commits: list[float] = []  # monotonic time of each "batch N committed" line
        self.stderr: list[bytes] = []
        self._events: queue.Queue = queue.Queue()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.proc.stderr is not None
        for line in self.proc.stderr:
            self.stderr.append(line)
            if COMMITTED.search(line):
                self.commits.append(time.monotonic())
                self._events.put(len(self.commits))
        self._events.put(None)  # end of output: the process is gone

    def wait_commits(self, n: int, within: float | None = None) -> int:
        """Wait until ``n`` commits were announced (or ``within`` seconds, or the end); return how many."""
        deadline = time.monotonic() + within if within is not None else None
        seen = len(self.commits)
        while seen < n:
            timeout = STALL_S if deadline is None else max(0.0, deadline - time.monotonic())
            try:
                got = self._events.get(timeout=timeout)
            except queue.Empty:
                if deadline is None:
                    self.kill()
                    pytest.fail(f"aikg ingest announced no commit for {STALL_S} s after {seen}: {self.err()[-2000:]}")
                return seen
            if got is None:
                self._events.put(None)
                return len(self.commits)
            seen = got
        return seen

    def kill(self) -> tuple[bool, bytes]:
        """SIGKILL the process group; return (had it finished on its own, its stdout)."""
        finished = self.proc.poll() is not None
        kill_group(self.proc, signal.SIGKILL)
        self._reader.join(timeout=30)
        out = self.proc.stdout.read() if self.proc.stdout else b""
        return finished, out

    def err(self) -> str:
        return b"".join(self.stderr).decode(errors="replace")


def _kill_by_events(run: Ingest, rnd: random.Random, startup: list[float], gaps: list[float], held: int = 0) -> int:
    """Kill ``run`` at a seeded random point chosen by its commit lines; return the commits it waited for.

    ``startup`` and ``gaps`` are what earlier rounds measured (seconds to the first commit,
    seconds between commits); they only place the kill inside a phase, never decide
    whether a round counts. ``held`` batches are in the store already: their commit lines
    come at once (nothing to do), so a kill after one waits for at least that many.
    """
    # About one round in six is killed in start-up; the others inside a batch of new work.
    target = 0 if rnd.random() < 1 / 6 else rnd.randint(max(1, held), BATCHES - 1)
    if target == 0:
        first = statistics.median(startup) if startup else 5.0
        run.wait_commits(1, within=rnd.uniform(0.3, 1.2) * first)
    else:
        if run.wait_commits(target) >= target:
            gap = statistics.median(gaps) if gaps else 0.5
            time.sleep(rnd.uniform(0.0, 1.0) * gap)
    return target


def test_kill_9_during_ingest_loses_nothing_committed(corpus200, reference200, tmp_path):
    path, records = corpus200
    order = [r["url"] for r in records]
    rnd = random.Random(20261125)
    log: list[dict] = []
    kills = completions = resumed_completions = 0
    store = tmp_path / "store-0"
    held_before = 0
    rounds = 0
    partial_store = None
    startup: list[float] = []
    gaps: list[float] = []
    started = time.monotonic()
    # Each round kills unless the run ends within a fraction of its last batch: twice as
    # many rounds as kills is far more than that can take; it only guards against a loop.
    while kills < KILLS and rounds < 2 * KILLS:
        rounds += 1
        run = Ingest(path, store)
        target = _kill_by_events(run, rnd, startup, gaps, held_before)
        finished, out = run.kill()
        announced = len(run.commits)
        if run.commits:
            startup.append(run.commits[0] - run.started)
            new_work = run.commits[held_before:]  # the held batches' lines come at once
            gaps.extend(b - a for a, b in zip(new_work, new_work[1:]))
        where = {"round": rounds, "after_commits": target, "announced": announced}
        if not (store / "CURRENT").exists():
            # Killed before the store directory was created: nothing to inspect yet.
            assert not finished, run.err()
            log.append({**where, "batches": 0, "note": "before open"})
            kills += 1
            continue
        check, urls, sizes = inspect_store(store)
        assert check.conforms, f"round {rounds}: store does not conform after kill"
        assert check.union_ok, f"round {rounds}: default graph differs from the union of article graphs"
        assert check.orphan_graphs == 0, f"round {rounds}: a named graph without article metadata"
        assert check.distinct_urls == check.articles, f"round {rounds}: an article is stored twice"
        k = assert_whole_batches(urls, order, BATCH)
        # Announced means committed; one more batch may have committed before its line was written.
        assert k >= announced, f"round {rounds}: {announced} commits announced, only {k} batches held"
        assert k <= max(held_before, announced + 1), f"round {rounds}: {k} batches held, {announced} announced"
        partial = incomplete(sizes, reference200.sizes)
        assert not partial, f"round {rounds}: articles not complete (quads held, expected): {partial}"
        log.append({**where, "batches": k, "killed": not finished})
        if finished:
            assert run.proc.returncode == 0, run.err()
            assert check.articles == len(order)
            completions += 1
            resumed_completions += json.loads(out)["unchanged"] > 0
        else:
            kills += 1
        if check.articles == len(order):
            assert sizes == reference200.sizes
        if 0 < check.articles < len(order):
            partial_store = store
        held_before = k
        if check.articles * 2 >= len(order):
            store = tmp_path / f"store-{rounds}"
            held_before = 0
    assert kills >= KILLS, f"only {kills} kills landed in {rounds} rounds: {log}"
    # The last store a kill left part-filled is completed by running the same command again.
    assert partial_store is not None, f"no kill landed mid-run: {log}"
    done = run_ingest([str(path)], str(partial_store), batch_size=BATCH)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["unchanged"] > 0
    check, urls, sizes = inspect_store(partial_store)
    assert (check.articles, check.distinct_urls) == (200, 200)
    assert check.union_ok and check.conforms
    assert sizes == reference200.sizes
    print(
        json.dumps(
            {
                "kills": kills,
                "rounds": rounds,
                "completions": completions,
                "resumed_completions": resumed_completions,
                "seconds": round(time.monotonic() - started, 1),
                "log": log,
            }
        )
    )


REPLACE_KILLS = 10


def test_kill_9_while_replacing_articles_leaves_old_or_new_never_both(corpus200, reference200, tmp_path):
    """New texts at the same 200 urls: each batch drops old graphs and inserts new ones in one update."""
    _, records = corpus200
    order = [r["url"] for r in records]
    revised = tmp_path / "revised.jsonl"
    revised.write_text(
        "".join(json.dumps({**r, "text": r["text"] + " The deal was revised later."}) + "\n" for r in records),
        encoding="utf-8",
    )
    new_ref = tmp_path / "new-reference"
    done = run_ingest([str(revised)], str(new_ref), batch_size=BATCH)
    assert done.returncode == 0, done.stderr
    new_sizes = inspect_store(new_ref)[2]
    old_ids = {r["u"].value: r["h"].value for r in _ids(reference200.store)}
    rnd = random.Random(7)
    kills, rounds, seen = 0, 0, []
    startup: list[float] = []
    gaps: list[float] = []
    while kills < REPLACE_KILLS and rounds < 2 * REPLACE_KILLS:
        rounds += 1
        store = tmp_path / f"replace-{rounds}"
        shutil.copytree(reference200.store, store)
        run = Ingest(revised, store)
        _kill_by_events(run, rnd, startup, gaps)
        finished, _ = run.kill()
        announced = len(run.commits)
        if run.commits:
            startup.append(run.commits[0] - run.started)
            gaps.extend(b - a for a, b in zip(run.commits, run.commits[1:]))
        kills += not finished
        check, urls, sizes = inspect_store(store)
        assert (check.articles, check.distinct_urls) == (200, 200), f"round {rounds}: an article lost or doubled"
        assert check.union_ok and check.conforms and check.orphan_graphs == 0, f"round {rounds}: {check}"
        with LocalStore(store) as s:
            texts = {
                r["u"].value: r["h"].value
                for r in s.query(
                    "SELECT ?u ?h WHERE { GRAPH ?g { ?g <https://schema.org/url> ?u ; "
                    "<https://w3id.org/aikg/ontology#sha256> ?h } }"
                )
            }
        replaced = [u for u in order if texts[u] != old_ids[u]]
        assert replaced == order[: len(replaced)] and len(replaced) % BATCH == 0, f"round {rounds}: {len(replaced)}"
        assert announced <= len(replaced) // BATCH <= announced + 1, (
            f"round {rounds}: {announced} commits announced, {len(replaced) // BATCH} batches replaced"
        )
        for u in order:
            want = new_sizes[u] if u in replaced else reference200.sizes[u]
            assert sizes[u] == want, f"round {rounds}: {u} holds {sizes[u]} quads, a whole version has {want}"
        seen.append(len(replaced) // BATCH)
    assert kills >= REPLACE_KILLS, f"only {kills} kills landed in {rounds} rounds: {seen}"
    print(json.dumps({"replace_kills": kills, "rounds": rounds, "batches_replaced_at_kill": seen}))


def _ids(store_dir):
    with LocalStore(store_dir, read_only=True) as s:
        return list(
            s.query(
                "SELECT ?u ?h WHERE { GRAPH ?g { ?g <https://schema.org/url> ?u ; "
                "<https://w3id.org/aikg/ontology#sha256> ?h } }"
            )
        )
