"""``aikg load``, ``query``, ``export``, ``stats``, ``validate``, ``delete``: the commands over a store (registered by aikg.cli)."""

from __future__ import annotations

import json
import sys
from contextlib import nullcontext
from pathlib import Path
from typing import Annotated, Optional

import typer

from aikg.cli_common import (
    AsOfOpt,
    EndedOpt,
    StoreOpt,
    fail,
    open_for_command,
    option_message,
)
from kg.errors import (
    AikgError,
    QuerySyntaxError,
    RDFParseError,
    UnsupportedFormatError,
)

QUERY_FORMATS = ("table", "json", "xml", "csv", "tsv", "turtle", "ntriples", "jsonld")
GRAPH_EXPORTS = ("graphml", "gexf", "csv")
#: Gzip dumps, the files the server offers at /dumps/aikg.<format> (kg.dumps).
DUMP_EXPORTS = ("nq.gz", "ttl.gz")
EXPORT_FORMATS = ("turtle", "ntriples", "nquads", "trig", "jsonld", *GRAPH_EXPORTS, *DUMP_EXPORTS)


def load(
    files: Annotated[
        list[Path], typer.Argument(help="RDF files (Turtle, N-Triples, N-Quads, TriG, JSON-LD, RDF/XML).")
    ],
    store: StoreOpt = None,
    format: Annotated[
        Optional[str], typer.Option("--format", "-f", help="Format of every file [default: by extension].")
    ] = None,
    graph: Annotated[Optional[str], typer.Option("--graph", help="Load triples into this named graph IRI.")] = None,
) -> None:
    """Load RDF files into the store (each file all-or-nothing); a .gz file is read through gzip."""
    import gzip
    import zlib

    from kg.store import rdf_format

    try:
        formats = [rdf_format(format or (f.with_suffix("") if f.suffix == ".gz" else f)) for f in files]
    except UnsupportedFormatError as exc:
        raise fail(str(exc), 2) from exc
    for f in files:
        if not f.is_file():
            raise fail(f"{f}: no such file", 2)
    s = open_for_command(store)
    try:
        for f, fmt in zip(files, formats):
            try:
                with gzip.open(f, "rb") if f.suffix == ".gz" else f.open("rb") as fh:
                    n = s.load(fh, fmt, graph=graph)
            except (EOFError, zlib.error, gzip.BadGzipFile) as exc:
                raise fail(f"{f}: not a complete gzip file: {exc} (nothing loaded from this file)", 2) from exc
            except RDFParseError as exc:
                raise fail(f"{f}: {exc} (nothing loaded from this file)", 2) from exc
            except AikgError as exc:
                raise fail(f"{f}: {exc}", 1) from exc
            typer.echo(f"loaded {n} statements from {f}")
        # a load removes the time index (kg.timeindex): build it again for the named time queries
        from kg import timeindex

        timeindex.ensure(s)
    finally:
        s.close()


def query(
    sparql: Annotated[Optional[str], typer.Argument(help="A SPARQL query, or a .rq file holding one.")] = None,
    store: StoreOpt = None,
    named: Annotated[Optional[str], typer.Option("--named", "-n", help="Run a named query (see --list).")] = None,
    param: Annotated[Optional[list[str]], typer.Option("--param", "-p", help="NAME=VALUE for a named query.")] = None,
    list_named: Annotated[bool, typer.Option("--list", help="List the named queries and exit.")] = False,
    format: Annotated[
        str, typer.Option("--format", "-f", help="table|json|xml|csv|tsv|turtle|ntriples|jsonld")
    ] = "table",
) -> None:
    """Run a SPARQL query (text, .rq file or named query) against the store."""
    from kg import output

    if list_named:
        from kg.queries import list_queries

        for q in list_queries():
            params = ", ".join(p + (f"={q.defaults[p]}" if p in q.defaults else "") for p in q.params) or "-"
            typer.echo(f"{q.name:28} {q.title}  [params: {params}]")
        return
    if format not in QUERY_FORMATS:
        raise fail(f"unknown --format {format!r}; use one of: {', '.join(QUERY_FORMATS)}", 2)
    if (sparql is None) == (named is None):
        raise fail("give either a query (text or .rq file) or --named NAME", 2)
    params: dict[str, str] = {}
    for p in param or []:
        if "=" not in p:
            raise fail(f"--param takes NAME=VALUE, got {p!r}", 2)
        k, v = p.split("=", 1)
        params[k.strip()] = v
    s = open_for_command(store, must_exist=True)
    try:
        if named is not None:
            from kg.queries import run_named

            result = run_named(s, named, params)
        else:
            text = sparql
            if text.endswith(".rq"):
                if not Path(text).is_file():
                    raise fail(f"{text}: no such file", 2)
                text = Path(text).read_text(encoding="utf-8")
            result = s.query(text)
        output.write_result(result, format, sys.stdout.buffer)
    except QuerySyntaxError as exc:
        raise fail(f"malformed query: {exc}", 2) from exc
    except (ValueError, UnsupportedFormatError) as exc:
        raise fail(str(exc), 2) from exc
    except AikgError as exc:
        raise fail(str(exc), 1) from exc
    finally:
        s.close()


def export(
    store: StoreOpt = None,
    format: Annotated[str, typer.Option("--format", "-f", help="|".join(EXPORT_FORMATS))] = "turtle",
    output_path: Annotated[
        Optional[Path], typer.Option("--output", "-o", help="File to write [default: stdout].")
    ] = None,
    raw: Annotated[
        bool,
        typer.Option(
            "--raw",
            help="CSV: write cells verbatim. By default a cell starting with "
            "= + - @ (or tab, CR) gets a leading ' so spreadsheets show it as text.",
        ),
    ] = False,
    as_of: AsOfOpt = None,
    ended: EndedOpt = None,
) -> None:
    """Export the graph as RDF, or as GraphML/GEXF/CSV for Gephi and Cytoscape.

    GraphML, GEXF and CSV hold one edge per relation, with its time (ended, start_date,
    end_date); --as-of and --ended/--no-ended choose them as `aikg analytics` does.
    nq.gz (every quad, N-Quads) and ttl.gz (the union graph, Turtle) are gzip dumps, the
    files `aikg serve` offers at /dumps/aikg.nq.gz and /dumps/aikg.ttl.gz; `aikg load`
    reads them back.
    A file is written under a temporary name and renamed when complete: a failed export
    leaves no partial file, and a file already at --output stays as it was.
    """
    if format not in EXPORT_FORMATS:
        raise fail(f"unknown --format {format!r}; use one of: {', '.join(EXPORT_FORMATS)}", 2)
    if raw and format != "csv":
        raise fail("--raw applies to --format csv only", 2)
    if (as_of is not None or ended is not None) and format not in GRAPH_EXPORTS:
        used = "--as-of" if as_of is not None else "--ended/--no-ended"
        raise fail(f"{used} applies to --format {', '.join(GRAPH_EXPORTS)} only (RDF exports hold every statement)", 2)
    from kg.timeline import parse_day

    try:
        day = parse_day(as_of, "as_of")
    except ValueError as exc:
        raise fail(option_message(str(exc)), 2) from exc
    from kg.exports import atomic_output, check_target, export_graph

    if output_path is not None and (problem := check_target(output_path)):
        raise fail(problem, 2)
    where = output_path or "to stdout"
    s = open_for_command(store, must_exist=True)
    try:
        from kg.output import ending_newline

        G = None
        if format in GRAPH_EXPORTS:
            from kg.analytics import to_networkx

            G = to_networkx(s, as_of=day, include_ended=ended)
        with atomic_output(output_path) if output_path else nullcontext(sys.stdout.buffer) as out:
            if format in DUMP_EXPORTS:
                from kg.dumps import write_dump

                write_dump(s, format, out)
            else:
                with ending_newline(out) as tracked:
                    if G is not None:
                        export_graph(G, format, tracked, raw=raw)
                    else:
                        from kg.store import rdf_format

                        s.dump(tracked, rdf_format(format))
            out.flush()
    except BrokenPipeError as exc:
        # A reader that stopped early (`aikg export | head`): nothing to report.
        _silence_stdout()
        raise typer.Exit(1) from exc
    except OSError as exc:
        raise fail(f"cannot write {where}: {exc.strerror or exc}{_untouched(output_path)}", 1) from exc
    except AikgError as exc:
        raise fail(f"export failed: {exc}{_untouched(output_path)}", 1) from exc
    finally:
        s.close()
    if output_path:
        typer.echo(f"wrote {output_path}", err=True)


def _untouched(output_path: Path | None) -> str:
    """Return the end of an export error: what became of the output file."""
    if output_path is None:
        return ""
    if output_path.exists():
        return f"; {output_path} is unchanged"
    return f"; {output_path} was not created"


def _silence_stdout() -> None:
    """Point stdout at /dev/null so that the interpreter's final flush cannot fail again."""
    import os

    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


def stats(
    store: StoreOpt = None,
    as_json: Annotated[bool, typer.Option("--json", help="Machine-readable output.")] = False,
) -> None:
    """Print counts: articles, entities by type, relations by predicate, triples."""
    from kg.stats import store_stats

    s = open_for_command(store, must_exist=True)
    try:
        st = store_stats(s)
    finally:
        s.close()
    if as_json:
        typer.echo(json.dumps(st, indent=2))
        return
    typer.echo(f"store      {st['location']}")
    typer.echo(f"articles   {st['articles']}")
    typer.echo(f"entities   {st['entities']}  " + "  ".join(f"{k}={v}" for k, v in st["entities_by_type"].items()))
    typer.echo(f"relations  {st['relations']} distinct, {st['statements']} mentions")
    for p, n in st["relations_by_predicate"].items():
        typer.echo(f"  {p:14} {n}")
    typer.echo(f"triples    {st['triples']} in the union graph, {st['quads']} quads in all")


def validate(
    store: StoreOpt = None,
    as_json: Annotated[bool, typer.Option("--json", help="Machine-readable output.")] = False,
) -> None:
    """Validate the store against ontology/shapes.ttl; exit 1 on violations."""
    from kg.validate import validate_store

    s = open_for_command(store, must_exist=True)
    try:
        report = validate_store(s)
    finally:
        s.close()
    if as_json:
        typer.echo(json.dumps(report.to_dict(), indent=2))
    else:
        typer.echo(report.format())
    raise typer.Exit(0 if report.conforms else 1)


def delete(
    refs: Annotated[list[str], typer.Argument(help="Article urls or sha256 ids (a prefix of 8+ hex digits will do).")],
    store: StoreOpt = None,
) -> None:
    """Delete articles and every triple that only they supported."""
    from kg.loader import delete_articles, find_articles

    s = open_for_command(store)
    try:
        graphs = []
        for ref in refs:
            found = find_articles(s, ref)
            if not found:
                raise fail(f"no article matches {ref!r}", 1)
            graphs.extend(found)
        n = delete_articles(s, graphs)
    finally:
        s.close()
    typer.echo(f"deleted {n} article(s)")


def index(store: StoreOpt = None) -> None:
    """Build the time index (kg.timeindex) that the named time queries read; an ingest keeps it fresh."""
    import time

    from kg import timeindex

    s = open_for_command(store, must_exist=True)
    try:
        if timeindex.embedded(s) is None:
            raise fail(
                "only an embedded store (a directory) keeps a time index; a server's queries read the statements", 2
            )
        t0 = time.perf_counter()
        n = timeindex.build(s)
    finally:
        s.close()
    typer.echo(f"time index built: {n} quads in {time.perf_counter() - t0:.1f} s")
