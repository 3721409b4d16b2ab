"""The ``aikg`` command line: thin commands that hand off to library functions."""

from __future__ import annotations

import json
import logging
import sys
from contextlib import nullcontext
from pathlib import Path
from typing import Annotated, Optional

import typer

from aikg.cli_common import (
    AsOfOpt,
    BatchSizeOpt,
    DateOpt,
    EndedOpt,
    HostOpt,
    MaxArticleOpt,
    NoValidateOpt,
    StoreOpt,
    fail,
    open_for_command,
    option_message,
    port_problem,
    tidy_help,
)
from aikg.ingest_run import DEFAULT_MAX_ARTICLE_BYTES
from kg.errors import (
    AikgError,
    QuerySyntaxError,
    RDFParseError,
    UnsupportedFormatError,
)

app = typer.Typer(
    name="aikg",
    help="aikg: a knowledge graph of the AI industry, from news articles to SPARQL.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

QUERY_FORMATS = ("table", "json", "xml", "csv", "tsv", "turtle", "ntriples", "jsonld")
GRAPH_EXPORTS = ("graphml", "gexf", "csv")
#: Gzip dumps, the files the server offers at /dumps/aikg.<format> (kg.dumps).
DUMP_EXPORTS = ("nq.gz", "ttl.gz")
EXPORT_FORMATS = ("turtle", "ntriples", "nquads", "trig", "jsonld", *GRAPH_EXPORTS, *DUMP_EXPORTS)


def _print_version(value: bool) -> None:
    if value:
        from kg import __version__

        typer.echo(f"aikg {__version__}")
        raise typer.Exit(0)


@app.callback()
def _main(
    verbose: Annotated[int, typer.Option("--verbose", "-v", count=True, help="More log output (-vv: debug).")] = 0,
    version: Annotated[
        bool, typer.Option("--version", is_eager=True, callback=_print_version, help="Print the version and exit.")
    ] = False,
) -> None:
    level = logging.WARNING - 10 * min(verbose, 2)
    logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s", stream=sys.stderr)


@app.command()
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
    finally:
        s.close()


@app.command()
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


@app.command()
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


@app.command()
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


@app.command()
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


@app.command()
def ingest(
    paths: Annotated[
        list[str],
        typer.Argument(
            help="Files, directories, - for stdin, or http(s) URLs of article "
            "pages, RSS/Atom feeds and OPML lists of feeds."
        ),
    ],
    store: StoreOpt = None,
    batch_size: BatchSizeOpt = 32,
    n_process: Annotated[int, typer.Option("--n-process", min=1, help="spaCy worker processes.")] = 1,
    date: DateOpt = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the summary as JSON, no progress bar.")] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")] = False,
    no_validate: NoValidateOpt = False,
    bulk: Annotated[
        bool,
        typer.Option(
            "--bulk",
            help="First load into an empty local store, ~3x faster writes; "
            "not crash-safe: an interrupted load must be started again from scratch.",
        ),
    ] = False,
    max_article_bytes: MaxArticleOpt = DEFAULT_MAX_ARTICLE_BYTES,
    reextract: Annotated[
        bool,
        typer.Option(
            "--reextract",
            help="Extract again the stored articles among the inputs whose statements an older "
            "extractor made, replacing them batch by batch (the store keeps no article text).",
        ),
    ] = False,
    reextract_all: Annotated[
        bool, typer.Option("--reextract-all", help="Like --reextract, for every stored article among the inputs.")
    ] = False,
    store_text: Annotated[
        bool,
        typer.Option(
            "--store-text",
            help="Keep each new article's full text in the graph so its "
            "page shows it (default: only the evidence sentences; news text belongs to "
            "its publishers).",
        ),
    ] = False,
    fetch_timeout: FetchTimeoutOpt = 10.0,
    host_delay: HostDelayOpt = 1.0,
    fetch_state: FetchStateOpt = None,
    cluster: Annotated[
        Optional[str],
        typer.Option(
            "--cluster",
            help="Extract on Dask workers: local:N starts N worker processes here, tcp://HOST:PORT "
            "joins a running scheduler; this process still writes each batch in order. "
            "Needs aikg[cluster].",
        ),
    ] = None,
) -> None:
    """Extract relations from articles and add them to the store, batch by batch.

    An article already stored (same text) is left as it is, unless --reextract says otherwise.
    URLs are fetched politely (robots.txt, 2 requests at a time per host, conditional GET:
    an unchanged feed costs one 304); a URL that fails is listed and skipped.
    Exits 0 when at least one article was read or a URL answered "not modified" (skipped inputs are listed),
    2 when nothing could be read, 1 on a runtime failure.
    """
    from aikg.ingest_run import run_ingest

    mode = "all" if reextract_all else "outdated" if reextract else None
    code = run_ingest(
        paths,
        store=store,
        batch_size=batch_size,
        n_process=n_process,
        date=date,
        as_json=as_json,
        quiet=quiet,
        validate=not no_validate,
        bulk=bulk,
        max_article_bytes=max_article_bytes,
        reextract=mode,
        store_text=store_text,
        fetch=_fetch_config(fetch_timeout, host_delay),
        fetch_state=fetch_state,
        cluster=cluster,
    )
    raise typer.Exit(code)


# -- fetching URLs: `aikg ingest URL...` and `aikg watch` (ingest.fetch, aikg.watch)
FetchTimeoutOpt = Annotated[
    float,
    typer.Option(
        "--fetch-timeout",
        min=0.1,
        metavar="SECONDS",
        help="Seconds to connect to a host and to wait for its next bytes.",
    ),
]
HostDelayOpt = Annotated[
    float,
    typer.Option("--host-delay", min=0.0, metavar="SECONDS", help="Seconds between two requests to the same host."),
]
FetchStateOpt = Annotated[
    Optional[str],
    typer.Option(
        "--fetch-state",
        metavar="FILE",
        help="Where ETags, Last-Modified and failures are kept between runs "
        "[default: aikg-fetch-state.json in a local store's directory; "
        "a server store keeps none unless given].",
    ),
]


def _fetch_config(timeout: float, host_delay: float):
    from ingest.fetch import FetchConfig

    return FetchConfig(timeout=timeout, host_delay=host_delay)


@app.command()
def watch(
    sources: Annotated[list[str], typer.Argument(help="http(s) URLs of RSS/Atom feeds, OPML lists and article pages.")],
    store: StoreOpt = None,
    every: Annotated[
        str, typer.Option("--every", help="Time between the starts of two rounds: 30s, 15m, 1h, 1h30m.")
    ] = "15m",
    rounds: Annotated[
        Optional[int], typer.Option("--rounds", min=1, help="Stop after this many rounds [default: run until stopped].")
    ] = None,
    date: DateOpt = None,
    batch_size: BatchSizeOpt = 32,
    as_json: Annotated[
        bool, typer.Option("--json", help="Also print each round's report as a JSON line on stdout.")
    ] = False,
    no_validate: NoValidateOpt = False,
    store_text: Annotated[
        bool, typer.Option("--store-text", help="Keep each new article's full text in the graph.")
    ] = False,
    max_article_bytes: MaxArticleOpt = DEFAULT_MAX_ARTICLE_BYTES,
    fetch_timeout: FetchTimeoutOpt = 10.0,
    host_delay: HostDelayOpt = 1.0,
    fetch_state: FetchStateOpt = None,
) -> None:
    """Poll feeds and pages on a schedule and ingest what is new, one log line per round.

    Survives restarts (the fetch state keeps ETags and failures); SIGTERM or Ctrl-C stops it
    between two batches, exit 0. A local store is opened only during a round.
    """
    from aikg.watch import run_watch

    code = run_watch(
        sources,
        store=store,
        every=every,
        rounds=rounds,
        date=date,
        batch_size=batch_size,
        validate=not no_validate,
        store_text=store_text,
        as_json=as_json,
        fetch=_fetch_config(fetch_timeout, host_delay),
        fetch_state=fetch_state,
        max_article_bytes=max_article_bytes,
    )
    raise typer.Exit(code)


@app.command()
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


@app.command()
def demo(
    store: StoreOpt = None,
    host: HostOpt = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", envvar="AIKG_PORT", help="Port to serve on.")] = 8000,
    no_serve: Annotated[bool, typer.Option("--no-serve", help="Only ingest the sample articles.")] = False,
) -> None:
    """Ingest the bundled sample articles (our own text, stored whole), then serve the API and pages."""
    from aikg.ingest_run import run_ingest, sample_articles_dir

    if not no_serve:
        # Before the ingest: a busy port found after a minute of parsing is a minute lost.
        problem = port_problem(host, port, also="AIKG_PORT=N, or make demo PORT=N")
        if problem:
            raise fail(problem, 1)
    code = run_ingest(
        [str(sample_articles_dir())],
        store=store,
        batch_size=32,
        n_process=1,
        date=None,
        as_json=False,
        quiet=False,
        validate=True,
        store_text=True,
    )
    if code != 0 or no_serve:
        raise typer.Exit(code)
    from aikg.cli_serve import serve

    serve(store=store, host=host, port=port)


def _register_optional() -> None:
    """Attach the commands defined in the other ``aikg.cli_*`` modules."""
    from aikg.cli_analytics import analytics_app
    from aikg.cli_curate import curate_app
    from aikg.cli_extract import eval as eval_cmd
    from aikg.cli_extract import extract, train
    from aikg.cli_mcp import mcp
    from aikg.cli_serve import serve
    from aikg.cli_suggest import duplicates, suspects
    from aikg.cli_viz import viz

    app.command("extract", help="Print the relations found in articles as JSON Lines (touches no store).")(extract)
    app.command("eval", help="Score extraction against a gold directory: entity and relation P/R/F1.")(eval_cmd)
    app.command("train", help="Rebuild the relation model from the training corpus, with its model card.")(train)
    app.command("serve", help="Serve the SPARQL endpoint, REST API and pages.")(serve)
    app.command("mcp", help="Serve the graph to AI assistants over MCP (stdio).")(mcp)
    app.command("viz", help="Write an interactive network page (standalone HTML).")(viz)
    app.add_typer(analytics_app, name="analytics", help="Centrality, communities, paths.")
    curate_app.command("duplicates", help="List entities that are probably one thing, most likely first.")(duplicates)
    curate_app.command("suspects", help="List relations a curator should check, most suspicious first.")(suspects)
    app.add_typer(
        curate_app,
        name="curate",
        help="Correct the graph: reject, accept, merge, split, alias, undo, log; duplicates and suspects.",
    )


def main() -> None:
    """Run the CLI."""
    _register_optional()
    command = typer.main.get_command(app)
    tidy_help(command)
    try:
        command()
    except AikgError as exc:
        typer.echo(f"aikg: error: {exc}", err=True)
        sys.exit(1)


if __name__ == "__main__":
    main()
