"""Untrusted SPARQL runs in engine processes the server can lose: crashes and runaways stay there.

pyoxigraph evaluates a query on the calling thread and cannot be interrupted from Python;
some inputs overflow its native stack and kill the whole process. So the serving process
never evaluates user-shaped queries itself. It keeps the store open as the only writer and,
for reads, hands each query to a small pool of worker processes (:mod:`kg.query_worker`):

* **Snapshots.** A worker reads a checkpoint of the store (``Store.backup``: hard links to
  the immutable data files, about 10 ms), opened read-only. RocksDB supports a read-only
  open of a directory no process writes to; it does not support one beside a live writer,
  which is why workers never open the live store. A new snapshot is taken when a query
  arrives after a write, so every query sees every write committed before it started.
  Old snapshots are deleted once no worker holds them.
* **Timeouts.** At the deadline the worker is killed (SIGKILL): its CPU is free at once,
  and a fresh worker takes its place.
* **Crashes and memory.** Each worker caps its address space; a query that overflows the
  stack or passes the cap ends only its worker, and that request gets a one-line error.
* **Updates.** An update is first applied to a private copy of the store in a worker (a
  dry run): if it crashes, runs out of memory or time there, the live store never sees it.
  Only an update that completed is applied to the live store, under the write lock, so
  it meets the same data it was tried on.

The package: :mod:`.worker` (the job records and one engine process), :mod:`.pool`
(``QueryPool``), :mod:`.isolated` (``IsolatedStore``). Every name is importable from
``kg.isolation`` as before.
"""

from kg.isolation.isolated import IsolatedStore as IsolatedStore
from kg.isolation.pool import QueryPool as QueryPool
from kg.isolation.worker import SNAPSHOT_DIR as SNAPSHOT_DIR
from kg.isolation.worker import EngineLimits as EngineLimits
from kg.isolation.worker import NotAcceptable as NotAcceptable
from kg.isolation.worker import Outcome as Outcome
from kg.isolation.worker import QueryJob as QueryJob
from kg.isolation.worker import timeout_message as timeout_message
