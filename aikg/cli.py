"""The ``aikg`` command line: thin commands that hand off to library functions."""

from __future__ import annotations

import logging
import sys
from typing import Annotated

import typer

from aikg.cli_common import tidy_help
from aikg.cli_ingest import demo, ingest, watch
from aikg.cli_store import delete, export, index, load, query, stats, validate
from kg.errors import AikgError

app = typer.Typer(
    name="aikg",
    help="aikg: a knowledge graph of the AI industry, from news articles to SPARQL.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


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


# The core commands, in the order help lists them; their docstrings are their help.
app.command()(load)
app.command()(query)
app.command()(export)
app.command()(stats)
app.command()(validate)
app.command()(ingest)
app.command()(watch)
app.command()(delete)
app.command()(index)
app.command()(demo)


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
