"""Property-based fuzzing of every API operation from the OpenAPI schema (schemathesis).

Against a real ``aikg serve`` on a copy of a 200-article store, with the write token
sent (so the fuzz reaches the write paths too: ingest, delete, SPARQL update). Each
operation gets up to 30 valid-by-schema and 30 invalid-by-schema cases; the whole run
has a time budget. What a user must never see: a 5xx, or an error without a message.
"""

from __future__ import annotations

import json
import shutil
import time

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable

from .conftest import TOKEN, AikgServer

pytestmark = [pytest.mark.slow, pytest.mark.server]

MAX_EXAMPLES = 30
BUDGET_S = 150


def clear_message(response) -> bool:
    """Return whether an error response tells the user something."""
    text = response.text.strip()
    if not text:
        return False
    if "json" in response.headers.get("content-type", ""):
        try:
            body = json.loads(text)
        except ValueError:
            return False
        return bool(body.get("detail")) if isinstance(body, dict) else False
    return True


@pytest.fixture(scope="module")
def fuzz_server(reference200, tmp_path_factory):
    work = tmp_path_factory.mktemp("fuzz")
    shutil.copytree(reference200.store, work / "store")
    server = AikgServer(str(work / "store"), work, query_timeout="5", max_body_bytes="262144")
    server.start()
    yield server
    server.stop()


def _fuzzer(strategy, key: str, base: str, auth: dict, tried: dict, failures: list):
    """Return a Hypothesis test sending every generated case and noting what went wrong."""

    @given(case=strategy)
    @settings(
        max_examples=MAX_EXAMPLES,
        deadline=None,
        database=None,
        derandomize=True,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    def run(case):
        response = case.call(base_url=base, headers=auth, timeout=30)
        tried[key][str(response.status_code)] = tried[key].get(str(response.status_code), 0) + 1
        if response.status_code >= 500:
            failures.append(f"{key}: {response.status_code} for {case.as_curl_command()} -> {response.text[:200]}")
        elif response.status_code >= 400 and not clear_message(response):
            failures.append(f"{key}: {response.status_code} without a message for {case.as_curl_command()}")

    return run


def test_fuzz_every_operation(fuzz_server):
    import schemathesis
    from schemathesis import GenerationMode

    schema = schemathesis.openapi.from_url(fuzz_server.base + "/openapi.json")
    auth = {"Authorization": f"Bearer {TOKEN}"}
    failures: list[str] = []
    tried: dict[str, int] = {}
    started = time.monotonic()
    operations = [r.ok() for r in schema.get_all_operations()]
    assert len(operations) >= 10, [op.label for op in operations]
    for op in operations:
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            if time.monotonic() - started > BUDGET_S:
                break
            key = f"{op.label} [{mode.value}]"
            tried[key] = {}

            run = _fuzzer(op.as_strategy(generation_mode=mode), key, fuzz_server.base, auth, tried, failures)
            try:
                run()
            except Unsatisfiable:
                # Nothing invalid can be generated for an operation without constraints.
                pass
    fuzz_server.stop()
    log = fuzz_server.output()
    print(
        json.dumps(
            {
                "fuzz": {
                    "operations": len(operations),
                    "cases": sum(sum(c.values()) for c in tried.values()),
                    "seconds": round(time.monotonic() - started, 1),
                    "statuses": tried,
                }
            }
        )
    )
    assert not failures, "\n".join(failures[:15])
    assert TOKEN not in log
    assert "Traceback" not in log, log[log.index("Traceback") :][:1500]
    # The budget must not have left operations unfuzzed.
    assert len(tried) == 2 * len(operations), sorted(tried)
