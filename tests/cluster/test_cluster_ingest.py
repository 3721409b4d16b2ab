"""`aikg ingest --cluster`: real Dask clusters, the real pipeline, real on-disk stores, real faults.

Every store a cluster builds, whatever was killed on the way, must equal the store a
serial run builds from the same articles (all quads but the ingestion timestamps, which
differ from run to run), with each article stored once.
"""

from __future__ import annotations

import io
import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import psutil
import pyoxigraph as ox
import pytest

from kg.namespaces import ONTOLOGY
from kg.store import LocalStore
from tests.servers import free_port

pytest.importorskip("distributed", reason="dask.distributed is missing: pip install -c constraints.txt -e '.[test]'")

from aikg.cluster import Cluster, ClusterSpec, ClusterSpecError, cluster_ingest, parse_cluster  # noqa: E402

pytestmark = [pytest.mark.slow, pytest.mark.server]

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "articles"
N_ARTICLES = len(list(EXAMPLES.glob("*.md")))
# Small batches, so a run has many and a fault falls between two of them.
BATCH = "2"
INGESTED_AT = f"<{ONTOLOGY}ingestedAt>"


def aikg(*args: str, env: dict | None = None, timeout: float = 300) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "aikg", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**os.environ, **(env or {})},
    )


def start_aikg(*args: str) -> subprocess.Popen:
    """Start ``aikg`` in its own process group (its local cluster's processes join it)."""
    return subprocess.Popen(
        [sys.executable, "-m", "aikg", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )


def wait_for_line(proc: subprocess.Popen, needle: str, timeout: float = 180) -> list[str]:
    """Read ``proc``'s stderr until a line holds ``needle``; return the lines read."""
    lines: list[str] = []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        line = proc.stderr.readline()
        if not line:
            break
        lines.append(line)
        if needle in line:
            return lines
    raise AssertionError(f"no {needle!r} on stderr: {''.join(lines)[-2000:]}")


def finish(proc: subprocess.Popen, timeout: float) -> tuple[str, str]:
    """Wait for ``proc`` and return the rest of its stdout and stderr.

    Read through the pipes' file objects, not with ``communicate``: that reads the file
    descriptors and misses what :func:`wait_for_line`'s ``readline`` already pulled into
    the buffer (a last line that came in the same read as the one waited for).
    """
    outputs: dict[str, str] = {}
    readers = [
        threading.Thread(target=lambda name=name, f=f: outputs.__setitem__(name, f.read()), daemon=True)
        for name, f in (("out", proc.stdout), ("err", proc.stderr))
    ]
    for r in readers:
        r.start()
    proc.wait(timeout=timeout)
    for r in readers:
        r.join(timeout=30)
    return outputs.get("out", ""), outputs.get("err", "")


def kill_group(proc: subprocess.Popen) -> None:
    """SIGKILL a process started by :func:`start_aikg` and every process of its group."""
    members = [proc.pid] + [c.pid for c in psutil.Process(proc.pid).children(recursive=True)]
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    gone, alive = psutil.wait_procs([psutil.Process(p) for p in members if psutil.pid_exists(p)], timeout=20)
    assert not alive, f"left running after the kill: {alive}"


def nquads(store_dir: Path) -> list[str]:
    """Return the store's quads as sorted N-Quads lines, the ingestion timestamps left out."""
    with LocalStore(store_dir, read_only=True) as s:
        buf = io.BytesIO()
        s.dump(buf, ox.RdfFormat.N_QUADS)
    return sorted(line for line in buf.getvalue().decode().splitlines() if INGESTED_AT not in line)


def timestamps_per_article(store_dir: Path) -> dict[str, int]:
    """Return article graph -> how many ingestion timestamps it holds (an article written twice has two)."""
    q = (
        f"SELECT ?g (COUNT(?t) AS ?n) WHERE {{ GRAPH ?g {{ ?g <{ONTOLOGY}sha256> ?h ; "
        f"<{ONTOLOGY}ingestedAt> ?t }} }} GROUP BY ?g"
    )
    with LocalStore(store_dir, read_only=True) as s:
        return {row["g"].value: int(row["n"].value) for row in s.query(q)}


def assert_same_as_serial(store_dir: Path, serial: list[str]) -> None:
    counts = timestamps_per_article(store_dir)
    assert len(counts) == N_ARTICLES, f"{len(counts)} of {N_ARTICLES} articles stored"
    assert set(counts.values()) == {1}, "an article was written more than once"
    got = nquads(store_dir)
    assert len(got) == len(serial)
    assert got == serial


@pytest.fixture(scope="module")
def serial(tmp_path_factory) -> list[str]:
    """The store a run without a cluster builds from the sample articles, as N-Quads lines."""
    store = tmp_path_factory.mktemp("serial") / "store"
    proc = aikg("ingest", str(EXAMPLES), "--store", str(store), "--batch-size", BATCH, "--json")
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["new"] == N_ARTICLES
    lines = nquads(store)
    assert len(lines) > 1000
    return lines


@pytest.fixture(scope="module")
def cluster():
    """One local 2-worker cluster (each worker loads the pipeline once) for the module's tests."""
    with Cluster(ClusterSpec(workers=2)) as c:
        yield c


def wait_for_workers(cluster: Cluster, n: int, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while cluster.workers() < n:
        assert time.monotonic() < deadline, f"only {cluster.workers()} of {n} workers came back"
        time.sleep(0.5)


def run_in_process(cluster: Cluster, store_dir: Path, on_batch=None):
    """Ingest the sample articles through ``cluster`` as ``aikg ingest`` does."""
    from ingest.readers import read_paths
    from kg.loader import MAX_ARTICLE_RELATIONS
    from kg.validate import validate_batch

    with LocalStore(store_dir) as store:
        return cluster_ingest(
            store,
            read_paths([str(EXAMPLES)]),
            cluster,
            batch_size=int(BATCH),
            validate=validate_batch,
            on_batch=on_batch,
            max_relations=MAX_ARTICLE_RELATIONS,
        )


def test_two_workers_build_the_serial_store(cluster, serial, tmp_path):
    summary = run_in_process(cluster, tmp_path / "store")
    assert summary.new == N_ARTICLES
    assert summary.batches == N_ARTICLES // int(BATCH)
    assert_same_as_serial(tmp_path / "store", serial)


def test_an_article_repeated_while_its_first_batch_is_in_flight_is_stored_once(cluster, serial, tmp_path):
    # The first article again in the second batch: both batches go to the workers before
    # either is committed, so the second is mapped again once the first is in the store.
    from ingest.readers import read_paths
    from kg.loader import MAX_ARTICLE_RELATIONS
    from kg.validate import validate_batch

    articles = list(read_paths([str(EXAMPLES)]))
    items = [articles[0], articles[1], articles[0], *articles[2:]]
    with LocalStore(tmp_path / "store") as store:
        summary = cluster_ingest(
            store,
            items,
            cluster,
            batch_size=int(BATCH),
            validate=validate_batch,
            max_relations=MAX_ARTICLE_RELATIONS,
        )
    assert (summary.new, summary.unchanged) == (N_ARTICLES, 1)
    assert_same_as_serial(tmp_path / "store", serial)


def test_a_worker_killed_mid_batch_loses_and_doubles_nothing(cluster, serial, tmp_path):
    wait_for_workers(cluster, 2)
    before = cluster.worker_pids()
    killed: list[tuple[int, tuple]] = []

    def kill_a_busy_worker(report, summary) -> None:
        if killed:
            return
        busy = {w: keys for w, keys in cluster.client.processing().items() if keys}
        assert busy, "no batch in flight after the first commit"
        worker, keys = next(iter(busy.items()))
        pid = cluster.worker_pids()[worker]
        os.kill(pid, signal.SIGKILL)
        killed.append((pid, tuple(keys)))

    summary = run_in_process(cluster, tmp_path / "store", on_batch=kill_a_busy_worker)
    assert killed, "no worker was killed"
    pid, keys = killed[0]
    assert keys, "the killed worker had no batch in hand"
    assert not psutil.pid_exists(pid) or psutil.Process(pid).status() == psutil.STATUS_ZOMBIE
    assert summary.new == N_ARTICLES
    assert_same_as_serial(tmp_path / "store", serial)
    # The nanny replaced the dead worker with a new process.
    wait_for_workers(cluster, 2)
    assert set(cluster.worker_pids().values()) != set(before.values())


def test_a_client_killed_mid_run_and_run_again_ends_as_serial(cluster, serial, tmp_path):
    store = tmp_path / "store"
    proc = start_aikg(
        "-v", "ingest", str(EXAMPLES), "--store", str(store), "--cluster", "local:1", "--batch-size", BATCH, "--json"
    )
    try:
        wait_for_line(proc, "batch 2 committed")
    finally:
        kill_group(proc)
    done = len(timestamps_per_article(store))
    assert 0 < done < N_ARTICLES
    # The rerun joins the module's cluster by its address, as a run on a real cluster would.
    again = aikg(
        "ingest",
        str(EXAMPLES),
        "--store",
        str(store),
        "--cluster",
        cluster.client.scheduler.address,
        "--batch-size",
        BATCH,
        "--json",
    )
    assert again.returncode == 0, again.stderr
    report = json.loads(again.stdout)
    assert (report["unchanged"], report["new"]) == (done, N_ARTICLES - done)
    assert_same_as_serial(store, serial)


def test_the_scheduler_going_away_is_one_line_and_the_store_resumes(cluster, serial, tmp_path):
    port = free_port()
    address = f"tcp://127.0.0.1:{port}"
    bin_dir = Path(sys.executable).parent
    scheduler = subprocess.Popen(
        [
            str(bin_dir / "dask"),
            "scheduler",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--dashboard-address",
            "127.0.0.1:0",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    worker = subprocess.Popen(
        [str(bin_dir / "dask"), "worker", address, "--nthreads", "1", "--nworkers", "1", "--no-dashboard"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    store = tmp_path / "store"
    client = None
    try:
        client = start_aikg(
            "-v", "ingest", str(EXAMPLES), "--store", str(store), "--cluster", address, "--batch-size", BATCH
        )
        wait_for_line(client, "batch 1 committed")
        scheduler.kill()
        scheduler.wait(timeout=30)
        _, err = finish(client, timeout=120)
        assert client.returncode == 1
        assert "Traceback" not in err
        errors = [line for line in err.splitlines() if not line.startswith("INFO ")]
        assert len(errors) == 1, err
        assert errors[0].startswith(f"aikg: error: lost the Dask scheduler at {address}")
        assert "run the same command again" in errors[0]
    finally:
        for p in (client, worker, scheduler):
            if p is not None and p.poll() is None:
                os.killpg(p.pid, signal.SIGKILL)
                p.wait(timeout=30)
    done = len(timestamps_per_article(store))
    assert 0 < done < N_ARTICLES
    again = aikg(
        "ingest",
        str(EXAMPLES),
        "--store",
        str(store),
        "--cluster",
        cluster.client.scheduler.address,
        "--batch-size",
        BATCH,
        "--json",
    )
    assert again.returncode == 0, again.stderr
    assert json.loads(again.stdout)["unchanged"] == done
    assert_same_as_serial(store, serial)


def test_a_scheduler_that_does_not_answer_is_one_line_and_exit_1(tmp_path):
    port = free_port()  # closed again: nothing listens there
    proc = aikg(
        "ingest",
        str(EXAMPLES),
        "--store",
        str(tmp_path / "store"),
        "--cluster",
        f"tcp://127.0.0.1:{port}",
        env={"AIKG_CLUSTER_TIMEOUT": "2"},
        timeout=120,
    )
    assert proc.returncode == 1
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    assert lines[0].startswith(f"aikg: error: cannot reach the Dask scheduler at tcp://127.0.0.1:{port}")
    assert "nothing was written" in lines[0]


@pytest.mark.parametrize("value", ["local:0", "tcp://127.0.0.1"])
def test_a_malformed_cluster_is_a_usage_error(value, tmp_path):
    proc = aikg("ingest", str(EXAMPLES), "--store", str(tmp_path / "store"), "--cluster", value)
    assert proc.returncode == 2
    assert proc.stderr.strip().splitlines() == [proc.stderr.strip()]
    assert proc.stderr.startswith("aikg: error: --cluster")
    assert not (tmp_path / "store").exists()


@pytest.mark.parametrize(
    "value, expected",
    [
        ("local:3", ClusterSpec(workers=3)),
        (" local:1 ", ClusterSpec(workers=1)),
        ("tcp://10.0.0.5:8786", ClusterSpec(address="tcp://10.0.0.5:8786")),
        ("tcp://scheduler.example:8786", ClusterSpec(address="tcp://scheduler.example:8786")),
    ],
)
def test_cluster_values_read(value, expected):
    assert parse_cluster(value) == expected


@pytest.mark.parametrize(
    "value", ["local:0", "local:", "local", "2", "tcp://host", "http://host:80", "tcp://host:99999", "tcp://host:80/x"]
)
def test_cluster_values_refused(value):
    with pytest.raises(ClusterSpecError, match="--cluster"):
        parse_cluster(value)


def test_n_process_with_a_cluster_is_a_usage_error(tmp_path):
    proc = aikg("ingest", str(EXAMPLES), "--store", str(tmp_path / "store"), "--cluster", "local:2", "--n-process", "2")
    assert proc.returncode == 2
    assert proc.stderr.strip() == (
        "aikg: error: --n-process is for a run without --cluster; size the cluster with local:N"
    )
    assert not (tmp_path / "store").exists()


def test_without_dask_the_error_names_the_extra(tmp_path):
    # A package directory that fails to import stands in for dask.distributed not installed.
    shadow = tmp_path / "shadow" / "distributed"
    shadow.mkdir(parents=True)
    (shadow / "__init__.py").write_text("raise ImportError('No module named distributed')\n")
    path = os.pathsep.join(p for p in [str(shadow.parent), os.environ.get("PYTHONPATH", "")] if p)
    proc = aikg(
        "ingest", str(EXAMPLES), "--store", str(tmp_path / "store"), "--cluster", "local:1", env={"PYTHONPATH": path}
    )
    assert proc.returncode == 1
    assert proc.stderr.strip().splitlines() == [
        "aikg: error: --cluster needs dask.distributed; install it with: pip install 'aikg[cluster]' "
        "(nothing was written)"
    ]


def interrupted(where: str, store: Path, times: int) -> tuple[tuple[str, ...], subprocess.CompletedProcess]:
    """Start ``aikg -v ingest`` (``where``: serial or a cluster), send Ctrl-C ``times`` times
    (SIGINT to the whole process group, as a terminal sends it, each after the command has
    answered the one before) once a batch is committed; return its arguments and how it ended."""
    extra = [] if where == "serial" else ["--cluster", where]
    args = ("ingest", str(EXAMPLES), "--store", str(store), "--batch-size", BATCH, "--json", *extra)
    proc = start_aikg("-v", *args)
    try:
        wait_for_line(proc, "batch 1 committed")
        for n in range(times):
            if n:
                wait_for_line(proc, "stopping after the batch being written")
            os.killpg(proc.pid, signal.SIGINT)
        out, err = finish(proc, timeout=180)
    finally:
        if proc.poll() is None:
            kill_group(proc)
    assert proc.returncode == 130, err
    assert "Traceback" not in err, err
    return args, subprocess.CompletedProcess(proc.args, proc.returncode, out, err)


@pytest.mark.parametrize("where", ["serial", "local:2"])
def test_ctrl_c_stops_after_a_batch_says_so_and_a_rerun_completes(where, serial, tmp_path):
    """Ctrl-C ends the run after the batch being written, with the summary, exit 130 and no
    traceback (a local cluster's workers ignore it); the rerun finishes the work."""
    store = tmp_path / "store"
    args, ended = interrupted(where, store, times=1)
    assert "stopped by SIGINT" in ended.stderr
    report = json.loads(ended.stdout)
    assert report["stopped"] == "SIGINT"
    done = len(timestamps_per_article(store))
    assert done == report["articles"]
    assert 0 < done < N_ARTICLES
    again = aikg(*args)
    assert again.returncode == 0, again.stderr
    rerun = json.loads(again.stdout)
    assert (rerun["unchanged"], rerun["new"], rerun["stopped"]) == (done, N_ARTICLES - done, None)
    assert_same_as_serial(store, serial)


@pytest.mark.parametrize("where", ["serial", "local:2"])
def test_ctrl_c_twice_stops_at_once_and_a_rerun_completes(where, serial, tmp_path):
    """A second Ctrl-C does not wait for the batch: exit 130 in one line, nothing half-written.

    When the first signal is handled only as the batch ends (the main thread was inside a
    long parse), the run has already stopped and the second is ignored: both endings are
    allowed, a traceback, a lost summary or a half-written article are not.
    """
    store = tmp_path / "store"
    args, ended = interrupted(where, store, times=2)
    if "aikg: stopped at once" in ended.stderr:
        assert ended.stdout == ""
    else:
        assert "aikg: stopped by SIGINT" in ended.stderr, ended.stderr
        assert json.loads(ended.stdout)["stopped"] == "SIGINT"
    # Whatever the second signal cut, each stored article is whole: the rerun ends as serial.
    again = aikg(*args)
    assert again.returncode == 0, again.stderr
    rerun = json.loads(again.stdout)
    assert rerun["new"] + rerun["unchanged"] == N_ARTICLES
    assert_same_as_serial(store, serial)


# The client's loop is kept busy, so the Ctrl-C lands before the call it waits on has
# started: distributed's own cancel callback then fails on the loop (its `sync`), and
# tornado used to log that with a traceback under aikg's -v logging.
CTRL_C_WHILE_WAITING = """
import logging, signal, sys, time
from aikg.cluster import Cluster, parse_cluster

def interrupt(*_):
    raise KeyboardInterrupt

if __name__ == "__main__":
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s", stream=sys.stderr)
    with Cluster(parse_cluster("local:1")) as workers:
        workers.client.loop.add_callback(time.sleep, 2)
        signal.signal(signal.SIGALRM, interrupt)
        signal.setitimer(signal.ITIMER_REAL, 0.5)
        try:
            workers.threads()
        except KeyboardInterrupt:
            print("interrupted", file=sys.stderr)
        time.sleep(2.5)
"""


def test_ctrl_c_while_the_client_waits_logs_no_traceback(tmp_path):
    script = tmp_path / "ctrl_c.py"
    script.write_text(CTRL_C_WHILE_WAITING)
    proc = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert "interrupted" in proc.stderr
    assert "Traceback" not in proc.stderr, proc.stderr
