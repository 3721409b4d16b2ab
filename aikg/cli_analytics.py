"""``aikg analytics``: centrality, communities and paths over the networkx projection.

Thin commands: each opens the store, calls :mod:`kg.analytics`, and prints a
rich table or JSON. The graph formats (GraphML, GEXF, CSV) are ``aikg export``'s.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated, Optional

import typer
from rich.console import Console
from rich.table import Table

# AsOfOpt, EndedOpt and option_message are shared with `aikg export` and `aikg viz`.
from aikg.cli_common import AsOfOpt, EndedOpt, StoreOpt, fail, open_for_command, option_message
from kg.errors import AikgError, NotFoundError

analytics_app = typer.Typer(
    name="analytics",
    help="Network analytics over the relation graph: centrality, communities, paths.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

JsonOpt = Annotated[bool, typer.Option("--json", help="Machine-readable output.")]
PredicateOpt = Annotated[
    Optional[list[str]],
    typer.Option("--predicate", "-p", help="Keep only this predicate (repeatable), e.g. investsIn."),
]
TypeOpt = Annotated[
    Optional[list[str]],
    typer.Option(
        "--type", "-t", help="Keep only entities of this type (repeatable): Organization, Person, AIModel, Product."
    ),
]
SinceOpt = Annotated[Optional[str], typer.Option("--since", help="Only evidence published on or after this day.")]
MinSourcesOpt = Annotated[
    int, typer.Option("--min-sources", min=1, help="Keep relations backed by this many distinct articles.")
]
MinConfOpt = Annotated[
    float, typer.Option("--min-confidence", min=0.0, max=1.0, help="Keep mentions at least this confident.")
]
HedgedOpt = Annotated[bool, typer.Option("--hedged/--no-hedged", help="Include hedged mentions (rumoured, in talks).")]


@contextmanager
def _store(location: str | None) -> Iterator:
    """Open an existing store for the command, closing it afterwards."""
    store = open_for_command(location, must_exist=True)
    try:
        yield store
    finally:
        store.close()


def _graph(store, predicates, types, as_of, since, min_sources, min_confidence, hedged, ended=None):
    from kg.analytics import to_networkx

    try:
        return to_networkx(
            store,
            predicates=predicates or None,
            types=types or None,
            as_of=as_of,
            since=since,
            min_sources=min_sources,
            min_confidence=min_confidence,
            include_hedged=hedged,
            include_ended=ended,
        )
    except ValueError as exc:
        raise fail(option_message(str(exc)), 2) from exc
    except AikgError as exc:
        raise fail(str(exc), 1) from exc


def _console() -> Console:
    return Console(soft_wrap=False, highlight=False)


def _echo_json(data: object) -> None:
    typer.echo(json.dumps(data, indent=2, ensure_ascii=False))


def _short(iri: str) -> str:
    from kg.namespaces import ENTITY

    return iri.removeprefix(ENTITY)


@analytics_app.command()
def centrality(
    store: StoreOpt = None,
    measure: Annotated[str, typer.Option("--measure", "-m", help="pagerank | degree | betweenness")] = "pagerank",
    top: Annotated[int, typer.Option("--top", "-n", min=0, help="How many to list (0: all).")] = 20,
    as_json: JsonOpt = False,
    predicate: PredicateOpt = None,
    type_: TypeOpt = None,
    as_of: AsOfOpt = None,
    since: SinceOpt = None,
    min_sources: MinSourcesOpt = 1,
    min_confidence: MinConfOpt = 0.0,
    hedged: HedgedOpt = True,
    ended: EndedOpt = None,
) -> None:
    """Rank entities by centrality (PageRank weighted by sources, degree, betweenness)."""
    from kg.analytics import MEASURES
    from kg.analytics import centrality as rank

    if measure not in MEASURES:
        raise fail(f"unknown --measure {measure!r}; use one of: {', '.join(MEASURES)}", 2)
    with _store(store) as s:
        G = _graph(s, predicate, type_, as_of, since, min_sources, min_confidence, hedged, ended)
    ranked = rank(G, measure, top=top)
    if as_json:
        _echo_json(ranked)
        return
    table = Table(title=f"{measure} over {G.number_of_nodes()} entities, {G.number_of_edges()} relations")
    for col, justify in (("#", "right"), ("entity", "left"), ("type", "left"), ("score", "right"), ("id", "left")):
        table.add_column(col, justify=justify)
    for i, r in enumerate(ranked, 1):
        table.add_row(str(i), r["label"], r["type"] or "", f"{r['score']:.4f}", _short(r["id"]))
    _console().print(table)


@analytics_app.command()
def communities(
    store: StoreOpt = None,
    as_json: JsonOpt = False,
    seed: Annotated[int, typer.Option("--seed", help="Random seed of the Louvain method.")] = 42,
    show: Annotated[int, typer.Option("--show", min=1, help="Members listed per community in the table.")] = 12,
    predicate: PredicateOpt = None,
    type_: TypeOpt = None,
    as_of: AsOfOpt = None,
    since: SinceOpt = None,
    min_sources: MinSourcesOpt = 1,
    min_confidence: MinConfOpt = 0.0,
    hedged: HedgedOpt = True,
    ended: EndedOpt = None,
) -> None:
    """Split the graph into communities (Louvain), largest first."""
    from kg.analytics import communities as split

    with _store(store) as s:
        G = _graph(s, predicate, type_, as_of, since, min_sources, min_confidence, hedged, ended)
    groups = split(G, seed=seed)
    if as_json:
        _echo_json(groups)
        return
    table = Table(title=f"{len(groups)} communities over {G.number_of_nodes()} entities")
    table.add_column("#", justify="right")
    table.add_column("size", justify="right")
    table.add_column("members (most connected first)")
    for i, group in enumerate(groups, 1):
        names = ", ".join(m["label"] for m in group[:show])
        if len(group) > show:
            names += f", ... (+{len(group) - show})"
        table.add_row(str(i), str(len(group)), names)
    _console().print(table)


@analytics_app.command()
def path(
    a: Annotated[str, typer.Argument(help="Start entity: name, alias, slug, Wikidata id or IRI.")],
    b: Annotated[str, typer.Argument(help="End entity.")],
    store: StoreOpt = None,
    max_length: Annotated[int, typer.Option("--max-length", min=1, help="Longest path accepted, in relations.")] = 6,
    as_json: JsonOpt = False,
    predicate: PredicateOpt = None,
    as_of: AsOfOpt = None,
    min_sources: MinSourcesOpt = 1,
    ended: EndedOpt = None,
) -> None:
    """Show the shortest chain of relations between two entities (either direction)."""
    from kg.analytics import resolve_entity, shortest_path

    with _store(store) as s:
        ends = [resolve_entity(s, x) or x for x in (a, b)]
        G = _graph(s, predicate, None, as_of, None, min_sources, 0.0, True, ended)
    try:
        hops = shortest_path(G, ends[0], ends[1], max_length=max_length)
    except NotFoundError as exc:
        raise fail(str(exc), 1) from exc
    if as_json:
        _echo_json(hops)
        return
    if not hops:
        typer.echo(f"{a} and {b} are the same entity")
        return
    table = Table(
        title=f"{len(hops)} step{'s' if len(hops) != 1 else ''} from {hops[0]['from_label']} to {hops[-1]['to_label']}"
    )
    for col in ("from", "relation", "to", "sources"):
        table.add_column(col, justify="right" if col == "sources" else "left")
    for h in hops:
        arrow = f"{h['predicate']} ->" if h["direction"] == "forward" else f"<- {h['predicate']}"
        table.add_row(h["from_label"], arrow, h["to_label"], str(h["sources"]))
    _console().print(table)
