"""Write a projected graph for Gephi, Cytoscape or a spreadsheet: GraphML, GEXF or CSV.

Labels come from articles, from ``/update`` or from a remote store, so they are
untrusted text. Two things make such text safe in a file:

- **XML**: XML 1.0 cannot carry most C0 control characters, lone surrogates, U+FFFE or
  U+FFFF, even escaped. GraphML and GEXF writers drop them from every id, label and
  attribute (:func:`xml_text`); everything else is written as it is.
- **Spreadsheets**: a CSV cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a
  carriage return is read as a formula by Excel, LibreOffice and Google Sheets. Every
  text cell that starts so gets a leading single quote (:func:`spreadsheet_cell`), which
  the spreadsheet shows as text; ``raw=True`` writes cells verbatim.

A file is written next to its target under a temporary name and renamed over it when
complete (:func:`atomic_output`): a failed export leaves no partial file, and a file
that was there before stays as it was.
"""

from __future__ import annotations

import csv
import io
import os
import re
import secrets
import stat
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import IO, Any

import networkx as nx

from kg.errors import UnsupportedFormatError

GRAPH_FORMATS = ("graphml", "gexf", "csv")

# New columns go at the end, so a spreadsheet or script that reads columns by position
# keeps working.
CSV_COLUMNS = (
    "subject",
    "subject_type",
    "predicate",
    "object",
    "object_type",
    "sources",
    "first",
    "last",
    "confidence",
    "subject_iri",
    "object_iri",
    "ended",
    "start_date",
    "end_date",
)

Output = str | os.PathLike[str] | IO[bytes]

# XML 1.0 ``Char``: tab, LF, CR, U+0020-U+D7FF, U+E000-U+FFFD, U+10000-U+10FFFF. The
# complement below is what no XML 1.0 document may hold, not even as a reference.
_XML_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")

# First characters that make a spreadsheet read a cell as a formula: the four operators
# and tab / CR (OWASP's list), NUL (ASVS's), and the full-width operators that some
# East Asian spreadsheet locales also accept.
_FORMULA_START = frozenset("=+-@\t\r\0\uff1d\uff0b\uff0d\uff20")
# A plain number ("-2", "+1.5e3") is a value, not a formula: it stays as it is.
_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")


def xml_text(value: str) -> str:
    """Return ``value`` without the characters XML 1.0 forbids.

    Those are the C0 control characters other than tab, LF and CR, lone surrogates, and
    U+FFFE and U+FFFF; every other character is kept.
    """
    return _XML_FORBIDDEN.sub("", value)


def spreadsheet_cell(value: object) -> object:
    """Return a CSV cell a spreadsheet will not run as a formula.

    Text that starts with a formula character (``=``, ``+``, ``-``, ``@``, tab, carriage
    return, NUL or a full-width operator) gets a leading single quote, as OWASP's CSV
    injection guidance advises; plain numbers, other text and non-text values are
    returned unchanged.
    """
    if isinstance(value, str) and value and value[0] in _FORMULA_START and not _NUMBER.fullmatch(value):
        return "'" + value
    return value


def _x(value: object) -> object:
    return xml_text(value) if isinstance(value, str) else value


def flat_graph(G: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """Return a copy whose attributes GraphML and GEXF can store.

    Lists become ``"; "``-joined strings and None becomes ``""`` (GraphML has no null);
    every edge gets a unique id (``e0``, ``e1``, ...) because two pairs may share a
    predicate, and a ``label`` (the predicate) and ``weight`` (its sources) that Gephi
    shows without configuration. An edge's time (docs/TIME.md) is ``ended`` (a boolean)
    and ``start_date`` / ``end_date`` (claim days at their own precision, ``""`` when
    unknown or not ended). Characters XML cannot carry are dropped from every
    node id and text attribute (:func:`xml_text`).
    """
    H = nx.MultiDiGraph()
    for n, d in G.nodes(data=True):
        H.add_node(
            _x(n),
            label=_x(d.get("label") or n),
            type=_x(d.get("type") or ""),
            wikidata=_x(d.get("wikidata") or ""),
            aliases=_x("; ".join(d.get("aliases") or ())),
        )
    for i, (u, v, key, d) in enumerate(G.edges(keys=True, data=True)):
        pred = d.get("predicate") or key
        attrs = {
            "label": pred,
            "predicate": pred,
            "family": d.get("family") or "",
            "symmetric": bool(d.get("symmetric")),
            "hedged": bool(d.get("hedged")),
            "sources": int(d.get("sources") or 0),
            "mentions": int(d.get("mentions") or 0),
            "weight": int(d.get("sources") or 1),
            "first": d.get("first") or "",
            "last": d.get("last") or "",
            "confidence": float(d["confidence"]) if d.get("confidence") is not None else 0.0,
            "ended": bool(d.get("ended")),
            "start_date": d.get("start_date") or "",
            "end_date": d.get("end_date") or "",
        }
        H.add_edge(_x(u), _x(v), key=f"e{i}", **{k: _x(val) for k, val in attrs.items()})
    return H


def _csv_rows(G: nx.MultiDiGraph) -> Iterator[list[Any]]:
    for u, v, key, d in sorted(G.edges(keys=True, data=True), key=lambda e: (e[0], e[2], e[1])):
        su, sv = G.nodes[u], G.nodes[v]
        conf = d.get("confidence")
        yield [
            su.get("label") or u,
            su.get("type") or "",
            d.get("predicate") or key,
            sv.get("label") or v,
            sv.get("type") or "",
            d.get("sources") or 0,
            d.get("first") or "",
            d.get("last") or "",
            "" if conf is None else f"{float(conf):.4g}",
            u,
            v,
            "true" if d.get("ended") else "false",
            d.get("start_date") or "",
            d.get("end_date") or "",
        ]


def _write_csv(G: nx.MultiDiGraph, out: IO[bytes], *, raw: bool = False) -> None:
    text = io.TextIOWrapper(out, encoding="utf-8", newline="", write_through=True)
    try:
        writer = csv.writer(text)
        writer.writerow(CSV_COLUMNS)
        for row in _csv_rows(G):
            writer.writerow(row if raw else [spreadsheet_cell(c) for c in row])
        text.flush()
    finally:
        # Leave the caller's stream open: detach instead of closing the wrapper.
        text.detach()


def _create_beside(target: Path) -> tuple[int, Path]:
    """Create an empty, hidden temporary file in the target's directory; return (fd, path)."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0)
    while True:
        tmp = target.with_name(f".{target.name}.{secrets.token_hex(6)}.tmp")
        try:
            # 0o666 less the umask: the mode a plain open() would have given the file.
            return os.open(tmp, flags, 0o666), tmp
        except FileExistsError:
            continue


@contextmanager
def atomic_output(path: str | os.PathLike[str]) -> Iterator[IO[bytes]]:
    """Open a binary file that appears at ``path`` whole, or not at all.

    The bytes go to a temporary file in the same directory (``.NAME.XXXX.tmp``), which is
    flushed to disk and renamed over ``path`` when the block ends without an exception.
    When it raises, the temporary file is deleted and ``path`` is left as it was. A file
    replaced keeps its permission bits; a symbolic link at ``path`` is followed. A device
    or pipe (``/dev/stdout``, a FIFO) is written directly: there is no file to replace.

    Raises:
        OSError: the temporary file cannot be created, written or renamed.
    """
    try:
        special = not stat.S_ISREG(os.stat(path).st_mode)
    except FileNotFoundError:
        special = False
    if special:
        with open(path, "wb") as fh:
            yield fh
        return
    target = Path(os.path.realpath(path))
    fd, tmp = _create_beside(target)
    try:
        with os.fdopen(fd, "wb") as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        with suppress(FileNotFoundError):
            os.chmod(tmp, stat.S_IMODE(os.stat(target).st_mode))
        os.replace(tmp, target)
    except BaseException:
        with suppress(OSError):
            os.unlink(tmp)
        raise


@contextmanager
def _binary(output: Output) -> Iterator[IO[bytes]]:
    if hasattr(output, "write"):
        yield output  # type: ignore[misc]
    else:
        with atomic_output(output) as fh:
            yield fh


def export_graph(G: nx.MultiDiGraph, fmt: str, output: Output, *, raw: bool = False) -> None:
    """Write a graph from :func:`kg.analytics.to_networkx` as GraphML, GEXF or CSV.

    Args:
        G: the graph.
        fmt: ``graphml``, ``gexf`` or ``csv`` (one edge per row: subject, subject_type,
            predicate, object, object_type, sources, first, last, confidence, the two
            IRIs, then ended (``true``/``false``), start_date and end_date).
        output: a file path (written atomically, see :func:`atomic_output`), or a binary
            stream (left open).
        raw: CSV only: write cells verbatim, without the quote that keeps a spreadsheet
            from reading ``=...``, ``+...``, ``-...`` or ``@...`` as a formula.

    Raises:
        UnsupportedFormatError: an unknown format.
        OSError: the file cannot be written; no partial file is left at a path.
    """
    writers: dict[str, Callable[[IO[bytes]], None]] = {
        "graphml": lambda fh: nx.write_graphml(flat_graph(G), fh, encoding="utf-8"),
        "gexf": lambda fh: nx.write_gexf(flat_graph(G), fh, encoding="utf-8"),
        "csv": lambda fh: _write_csv(G, fh, raw=raw),
    }
    key = fmt.lower().strip()
    if key not in writers:
        raise UnsupportedFormatError(f"unknown graph format {fmt!r}; use one of: {', '.join(GRAPH_FORMATS)}")
    with _binary(output) as fh:
        writers[key](fh)


def check_target(path: str | os.PathLike[str]) -> str | None:
    """Return why ``path`` cannot be an export's output file, or None when it can be.

    Checked before any work so that a mistyped path is a usage error, not a failure
    after the store was read: the directory must exist and the path must not be one.
    """
    p = Path(path)
    parent = p.parent if str(p.parent) else Path(".")
    if p.is_dir():
        return f"{path} is a directory; give a file name"
    if not parent.is_dir():
        return f"cannot write {path}: no directory {parent}"
    return None
