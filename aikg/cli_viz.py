"""``aikg viz``: write the interactive network page to a file (registered by aikg.cli)."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Annotated, Optional

import typer

from kg.model import DEFAULT_MIN_CONFIDENCE


def viz(
    output: Annotated[
        Path, typer.Option("--output", "-o", help="The HTML file to write.", dir_okay=False, writable=True)
    ] = Path("graph.html"),
    store: Annotated[
        Optional[str],
        typer.Option(
            "--store", envvar="AIKG_STORE", help="Store directory or SPARQL endpoint URL [default: ./aikg-data]."
        ),
    ] = None,
    focus: Annotated[
        Optional[str],
        typer.Option("--focus", help="Centre on this entity (name, alias, slug or Wikidata id): its ego network."),
    ] = None,
    depth: Annotated[int, typer.Option("--depth", min=0, max=6, help="Relations away from the focus.")] = 1,
    predicates: Annotated[
        Optional[list[str]],
        typer.Option("--predicates", "--predicate", help="Keep only these relations (repeat, or comma-separated)."),
    ] = None,
    types: Annotated[
        Optional[list[str]],
        typer.Option("--types", "--type", help="Keep only entities of these types (repeat, or comma-separated)."),
    ] = None,
    since: Annotated[Optional[str], typer.Option("--since", help="Evidence dated on or after (YYYY-MM-DD).")] = None,
    until: Annotated[Optional[str], typer.Option("--until", help="Evidence dated on or before (YYYY-MM-DD).")] = None,
    as_of: Annotated[
        Optional[str],
        typer.Option(
            "--as-of", help="The graph as it stood on this day (docs/TIME.md); the page's slider replays up to it."
        ),
    ] = None,
    ended: Annotated[
        bool,
        typer.Option(
            "--ended/--no-ended",
            help="Start with ended relations shown (dashed grey); they stay in the "
            'file either way, behind the page\'s "show ended relations" box.',
        ),
    ] = True,
    min_confidence: Annotated[
        float,
        typer.Option(
            "--min-confidence",
            min=0.0,
            max=1.0,
            envvar="AIKG_MIN_CONFIDENCE",
            help="Draw relations with a statement at least this confident, and only those statements "
            "as evidence; 0 draws everything.",
        ),
    ] = DEFAULT_MIN_CONFIDENCE,
    min_sources: Annotated[
        int, typer.Option("--min-sources", min=1, help="Keep relations supported by this many articles.")
    ] = 1,
    limit: Annotated[
        int,
        typer.Option(
            "--limit",
            min=1,
            help="Most entities in the file; the most central are kept. The page opens on "
            'the 120 most central and its "show all" button shows the rest.',
        ),
    ] = 300,
    title: Annotated[str, typer.Option("--title", help="The page heading.")] = "aikg: the AI industry graph",
    link_base: Annotated[
        Optional[str], typer.Option("--link-base", help="URL of an aikg server, to link entities to its /entity pages.")
    ] = None,
) -> None:
    """Write an interactive network page (one self-contained HTML file, no network needed).

    The filters match the /graph page's URL parameters; in the file they can be changed
    again in the page itself.
    """
    from aikg.cli_common import open_for_command
    from kg.viz import view_from_store

    started = time.perf_counter()
    st = open_for_command(store, must_exist=True)
    try:
        try:
            view = view_from_store(
                st,
                focus=focus,
                depth=depth,
                predicates=predicates,
                types=types,
                since=since,
                until=until,
                as_of=as_of,
                min_confidence=min_confidence,
                min_sources=min_sources,
                limit=limit,
                show_ended=ended,
            )
        except ValueError as exc:
            from aikg.cli_analytics import option_message

            typer.echo(f"aikg: error: {option_message(str(exc))}", err=True)
            raise typer.Exit(2) from exc
    finally:
        st.close()
    base = link_base.rstrip("/") + "/entity/" if link_base else None
    # The page is rendered by the api package (its template and static files), as
    # `aikg serve` is: imported here, so the other commands start without it.
    from api.render import render_graph_page

    page = render_graph_page(view, title=title, standalone=True, entity_base=base)
    from kg.exports import atomic_output

    try:
        # Complete or not at all: a failed write leaves no half page, and an older page stays.
        with atomic_output(output) as fh:
            fh.write(page.encode("utf-8"))
    except OSError as exc:
        typer.echo(f"aikg: error: cannot write {output}: {exc.strerror or exc}", err=True)
        raise typer.Exit(1) from exc
    for note in view.notes:
        typer.echo(note, err=True)
    typer.echo(
        f"wrote {output} ({len(view.nodes):,} entities, {len(view.edges):,} relations, "
        f"{len(page) / 1e6:.1f} MB) in {time.perf_counter() - started:.1f} s",
        err=True,
    )
