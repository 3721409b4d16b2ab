"""Dumps (kg.dumps, `aikg export --format nq.gz|ttl.gz`) and stable identifiers, on real stores."""

from __future__ import annotations

import gzip
import io
import subprocess
import sys
import threading
import time
import tracemalloc
from datetime import UTC, datetime

import pyoxigraph as ox
import pytest
from rdflib import Dataset, Graph, URIRef
from rdflib.compare import to_canonical_graph

from kg import timeindex
from kg.derived import INDEX_GRAPH
from kg.dumps import CHUNK_BYTES, QUEUE_CHUNKS, dump_stream, write_dump
from kg.loader import ingest
from kg.mapping import extraction_quads
from kg.namespaces import ONTOLOGY, STATEMENT
from kg.store import LocalStore
from tests.kg.conftest import extractions

# A blank node, as a user may load one: the round trip must keep it (aikg mints none).
BNODE_TTL = b'@prefix ex: <http://example.org/> . ex:a ex:p [ ex:q "x" ] .'


def aikg(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "aikg", *args], capture_output=True, text=True, timeout=300)


def canonical_nquads(store: LocalStore) -> list[str]:
    """Return the store's quads as sorted N-Quads lines, blank nodes canonically relabelled."""
    buf = io.BytesIO()
    store.dump(buf, ox.RdfFormat.N_QUADS)
    ds = Dataset()
    ds.parse(data=buf.getvalue(), format="nquads")
    lines = []
    for g in ds.graphs():
        name = g.identifier
        for s, p, o in to_canonical_graph(g):
            suffix = "" if name == URIRef("urn:x-rdflib:default") else f" {name.n3()}"
            lines.append(f"{s.n3()} {p.n3()} {o.n3()}{suffix} .")
    return sorted(lines)


@pytest.fixture
def source(world: LocalStore) -> LocalStore:
    world.load(BNODE_TTL, ox.RdfFormat.TURTLE)
    return world


def test_nquads_dump_reloads_into_the_same_graph(source: LocalStore, tmp_path) -> None:
    dump = tmp_path / "aikg.nq.gz"
    with dump.open("wb") as fh:
        write_dump(source, "nq.gz", fh)
    target = tmp_path / "reloaded"
    loaded = aikg("load", "--store", str(target), str(dump))
    assert loaded.returncode == 0, loaded.stderr
    with LocalStore(target, read_only=True) as back:
        assert canonical_nquads(back) == canonical_nquads(source)
        # the same quads; `aikg load` also built the time index, derived data the dump leaves out
        assert timeindex.is_fresh(back)
        assert len(back) - len(back.graph_quads(INDEX_GRAPH)) == len(source) - len(source.graph_quads(INDEX_GRAPH))


def test_turtle_dump_is_the_union_graph(source: LocalStore, tmp_path) -> None:
    buf = io.BytesIO()
    write_dump(source, "ttl.gz", buf)
    dumped = Graph().parse(data=gzip.decompress(buf.getvalue()), format="turtle")
    union = io.BytesIO()
    source.dump(union, ox.RdfFormat.N_TRIPLES)
    expected = Graph().parse(data=union.getvalue(), format="nt")
    assert len(dumped) == len(expected) > 100
    assert set(to_canonical_graph(dumped)) == set(to_canonical_graph(expected))


def test_cli_export_writes_the_dumps_and_load_reads_them(tmp_path) -> None:
    store_dir = tmp_path / "store"
    build = LocalStore(store_dir)
    exs = extractions()
    ingest(build, [e.article for e in exs.values()], lambda batch: [exs[a.id] for a in batch])
    with io.BytesIO() as expected_nq:
        write_dump(build, "nq.gz", expected_nq)
        expected = expected_nq.getvalue()
    build.close()
    out = tmp_path / "aikg.nq.gz"
    proc = aikg("export", "--store", str(store_dir), "--format", "nq.gz", "--output", str(out))
    assert proc.returncode == 0, proc.stderr
    assert out.read_bytes() == expected
    ttl = tmp_path / "aikg.ttl.gz"
    assert aikg("export", "--store", str(store_dir), "-f", "ttl.gz", "-o", str(ttl)).returncode == 0
    assert ttl.read_bytes()[:2] == b"\x1f\x8b"
    # The Turtle dump loads too (into the default graph).
    proc = aikg("load", "--store", str(tmp_path / "fromttl"), str(ttl))
    assert proc.returncode == 0 and "loaded" in proc.stdout, proc.stderr


def test_load_refuses_a_truncated_gzip_and_loads_nothing(world: LocalStore, tmp_path) -> None:
    dump = tmp_path / "aikg.nq.gz"
    with dump.open("wb") as fh:
        write_dump(world, "nq.gz", fh)
    cut = tmp_path / "cut.nq.gz"
    cut.write_bytes(dump.read_bytes()[: dump.stat().st_size // 2])
    proc = aikg("load", "--store", str(tmp_path / "empty"), str(cut))
    assert proc.returncode == 2
    assert "cut.nq.gz" in proc.stderr and "Traceback" not in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1
    with LocalStore(tmp_path / "empty", read_only=True) as empty:
        assert len(empty) == 0


def big_store(path, n: int = 200_000) -> LocalStore:
    """Return a store of ``n`` quads in 1,000 graphs (bulk-loaded: no union copies)."""
    store = LocalStore(path)
    store.oxigraph.bulk_extend(
        ox.Quad(
            ox.NamedNode(f"https://w3id.org/aikg/entity/e{i}"),
            ox.NamedNode(ONTOLOGY + "investsIn"),
            ox.NamedNode(f"https://w3id.org/aikg/entity/f{i % 977}"),
            ox.NamedNode(f"https://w3id.org/aikg/article/a{i % 1000}"),
        )
        for i in range(n)
    )
    return store


def test_stream_equals_the_file_and_holds_a_bounded_amount(tmp_path) -> None:
    """The streamed dump is the exported file, and a reader that waits holds the dump up."""
    with big_store(tmp_path / "big") as big:
        whole = io.BytesIO()
        write_dump(big, "nq.gz", whole)
        assert len(gzip.decompress(whole.getvalue()).splitlines()) == len(big) == 200_000
        stream = dump_stream(big.oxigraph, "nq.gz")
        first = next(stream)
        time.sleep(1.0)  # the writer runs ahead until the queue is full, then waits
        held = first + b"".join(stream.gi_frame.f_locals["chunks"].queue)
        # the bound is the queue's, whatever the dump's size (this one is about as big as
        # the queue, so a share of it would depend on how fast gzip ran)
        assert len(held) <= (QUEUE_CHUNKS + 2) * (CHUNK_BYTES + 65536)
        rest = b"".join(stream)
        assert first + rest == whole.getvalue()


def test_a_reader_that_stops_stops_the_dump(tmp_path) -> None:
    with big_store(tmp_path / "big") as big:
        before = set(threading.enumerate())  # a dump thread of an earlier test may still be ending
        stream = dump_stream(big.oxigraph, "nq.gz")
        next(stream)
        mine = [t for t in threading.enumerate() if t not in before and t.name == "aikg-dump"]
        assert len(mine) == 1
        stream.close()
        mine[0].join(timeout=10)
        assert not mine[0].is_alive()


def test_dump_python_memory_is_bounded(tmp_path) -> None:
    """Reading a 200k-quad dump holds far less than the dump in Python memory at any time."""
    with big_store(tmp_path / "big") as big:
        tracemalloc.start()
        try:
            size = 0
            for chunk in dump_stream(big.oxigraph, "nq.gz"):
                size += len(chunk)
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
        whole = io.BytesIO()
        big.dump(whole, ox.RdfFormat.N_QUADS)
    raw = len(whole.getvalue())
    assert raw > 20_000_000 and size > 0
    # The queue and one chunk being compressed: about 1 MB; the dump is over 30 MB.
    assert peak < raw / 10, (peak, raw)


def test_reingest_mints_the_same_iris(tmp_path) -> None:
    """The same article ingested into two stores, at different times, gets the same IRIs."""
    exs = extractions()
    first = extraction_quads(next(iter(exs.values())), ingested_at=datetime(2024, 1, 1, tzinfo=UTC))
    later = extraction_quads(next(iter(exs.values())), ingested_at=datetime(2026, 6, 1, tzinfo=UTC))

    def iris(quads):
        return {
            t.value
            for q in quads
            for t in (q.subject, q.object, q.graph_name)
            if isinstance(t, ox.NamedNode) and t.value.startswith("https://w3id.org/aikg/")
        }

    assert iris(first) == iris(later)
    assert any(i.startswith(STATEMENT) for i in iris(first))
    stores = []
    for name in ("a", "b"):
        with LocalStore(tmp_path / name) as s:
            ingest(s, [e.article for e in exs.values()], lambda batch: [exs[a.id] for a in batch])
            stores.append({r["s"].value for r in s.query(f"SELECT ?s WHERE {{ ?s a <{ONTOLOGY}RelationStatement> }}")})
    assert stores[0] == stores[1] and len(stores[0]) > 10
