"""QueryRunner: a query stuck in a blocking operator does not take a worker away for good."""

from __future__ import annotations

import asyncio
import threading
import time

import pyoxigraph as ox
import pytest

from api.sparql import QueryRequest, QueryRunner
from kg.errors import QueryTimeoutError


class BlockingStore:
    """Answers ASK at once, except queries naming "block", which wait like an uncancellable operator."""

    def __init__(self) -> None:
        self.release = threading.Event()
        self._inner = ox.Store()

    def query(self, sparql: str, **kwargs):
        if "block" in sparql:
            self.release.wait(30)
        return self._inner.query("ASK {}")


def ask(runner: QueryRunner, label: str) -> int | str:
    async def go():
        try:
            return (await runner.respond(QueryRequest(f"ASK {{}} # {label}"))).status_code
        except QueryTimeoutError:
            return "timeout"

    # On a thread of its own: the session's Playwright keeps an event loop running on this one.
    out: list = []
    t = threading.Thread(target=lambda: out.append(asyncio.run(go())))
    t.start()
    t.join(10)
    return out[0]


def wait_until(cond, seconds: float = 5.0) -> None:
    deadline = time.monotonic() + seconds
    while not cond() and time.monotonic() < deadline:
        time.sleep(0.01)


@pytest.fixture
def runner_store():
    store = BlockingStore()
    runner = QueryRunner(store, workers=1, timeout=0.3, max_rows=0, buffer_bytes=1024, max_abandoned=1)
    yield runner, store
    store.release.set()
    runner.close()


def test_a_stuck_query_is_replaced_until_the_cap_then_queries_wait(runner_store):
    runner, store = runner_store
    assert ask(runner, "block") == "timeout"
    # Its thread still computes, but a replacement worker answers the next query.
    assert runner.abandoned == 1
    assert ask(runner, "quick") == 200
    # At the cap no replacement starts: the one worker is stuck, so queries time out.
    assert ask(runner, "block") == "timeout"
    assert ask(runner, "quick") == "timeout"
    # Once the operators finish, the abandoned threads end and the server answers again.
    store.release.set()
    wait_until(lambda: runner.abandoned == 0)
    assert runner.abandoned == 0
    assert ask(runner, "quick") == 200
