"""Write query results in the format a user asked for, serialized by pyoxigraph."""

from __future__ import annotations

import io
from collections.abc import Iterator
from contextlib import contextmanager
from typing import IO, TYPE_CHECKING, cast

import pyoxigraph as ox

from kg.errors import UnsupportedFormatError
from kg.store import QueryResult

if TYPE_CHECKING:
    from _typeshed import ReadableBuffer

_RESULT_FORMATS = {
    "json": ox.QueryResultsFormat.JSON,
    "xml": ox.QueryResultsFormat.XML,
    "csv": ox.QueryResultsFormat.CSV,
    "tsv": ox.QueryResultsFormat.TSV,
}
_GRAPH_FORMATS = {
    "turtle": ox.RdfFormat.TURTLE,
    "ntriples": ox.RdfFormat.N_TRIPLES,
    "jsonld": ox.RdfFormat.JSON_LD,
    "rdfxml": ox.RdfFormat.RDF_XML,
}


class _LastByte(io.RawIOBase):
    """A write-only binary stream over another that remembers the last byte written."""

    def __init__(self, out: IO[bytes]):
        super().__init__()
        self.out = out
        self.last = b""

    def writable(self) -> bool:
        return True

    def write(self, data: ReadableBuffer) -> int:
        data = bytes(data)
        if data:
            self.last = data[-1:]
        self.out.write(data)
        return len(data)

    def flush(self) -> None:
        if not self.closed:
            self.out.flush()


def write_result(result: QueryResult, fmt: str, out: IO[bytes]) -> None:
    """Write a SELECT, ASK or CONSTRUCT result, ending with a newline.

    ``table`` is a readable text table (SELECT), ``true``/``false`` (ASK) or Turtle
    (CONSTRUCT); the other names are the W3C result formats or RDF serializations.
    Serializations that stop without a line break (JSON, XML) get one, so the output
    ends like every text a shell prints.

    Raises:
        UnsupportedFormatError: the format does not fit the result kind.
    """
    with ending_newline(out) as tracked:
        _write_result(result, fmt, tracked)


@contextmanager
def ending_newline(out: IO[bytes]) -> Iterator[IO[bytes]]:
    """Yield a stream over ``out`` that ends with a newline once the block has written.

    Nothing is added to an empty output or one that ends with a newline already.
    """
    tracked = _LastByte(out)
    yield cast(IO[bytes], tracked)  # a binary stream, though not typed as IO
    if tracked.last not in (b"", b"\n"):
        out.write(b"\n")


def _write_result(result: QueryResult, fmt: str, out: IO[bytes]) -> None:
    if isinstance(result, ox.QueryBoolean):
        if fmt in ("table", "csv", "tsv"):
            out.write(b"true\n" if bool(result) else b"false\n")
        elif fmt in _RESULT_FORMATS:
            result.serialize(out, format=_RESULT_FORMATS[fmt])
        else:
            raise UnsupportedFormatError(f"an ASK result cannot be written as {fmt}")
    elif isinstance(result, ox.QuerySolutions):
        if fmt == "table":
            out.write(format_table(result).encode("utf-8"))
        elif fmt in _RESULT_FORMATS:
            result.serialize(out, format=_RESULT_FORMATS[fmt])
        else:
            raise UnsupportedFormatError(
                f"a SELECT result cannot be written as {fmt}; use table, json, xml, csv or tsv"
            )
    else:
        gfmt = "turtle" if fmt == "table" else fmt
        if gfmt not in _GRAPH_FORMATS:
            raise UnsupportedFormatError(
                f"a CONSTRUCT result cannot be written as {fmt}; use turtle, ntriples or jsonld"
            )
        ox.serialize(result, out, format=_GRAPH_FORMATS[gfmt])


def term_text(term: object | None) -> str:
    """Return a term as a reader wants it in a table: IRIs and literal values bare."""
    if term is None:
        return ""
    if isinstance(term, (ox.NamedNode, ox.Literal)):
        return term.value
    return str(term)


def format_table(result: ox.QuerySolutions) -> str:
    """Return SELECT rows as an aligned plain-text table with a row count."""
    names = [v.value for v in result.variables]
    rows = [[term_text(r[n]) for n in names] for r in result]
    widths = [min(60, max([len(n), *(len(r[i]) for r in rows)])) for i, n in enumerate(names)]
    buf = io.StringIO()

    def line(cells: list[str]) -> None:
        buf.write("  ".join(_clip(c, w).ljust(w) for c, w in zip(cells, widths)).rstrip() + "\n")

    line(names)
    line(["-" * w for w in widths])
    for r in rows:
        line(r)
    buf.write(f"({len(rows)} row{'s' if len(rows) != 1 else ''})\n")
    return buf.getvalue()


def _clip(text: str, width: int) -> str:
    text = text.replace("\n", " ")
    return text if len(text) <= width else text[: width - 1] + "…"
