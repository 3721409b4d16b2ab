"""Named SPARQL queries a researcher asks first, shipped as ``kg/queries/*.rq``.

Each file starts with comment lines ``# title: ...``, ``# description: ...`` (which may
continue on further indented comment lines) and one ``# param: NAME — meaning`` per
parameter (``# param: NAME = DEFAULT — meaning`` for one that may be left out). A
parameter is a SPARQL variable of the query, bound through the store's substitutions,
so a value is always data, never query text. Parameters are typed by name: ``entity``,
``a``, ``b``, ``subject``, ``object`` name entities (resolved with
:func:`kg.analytics.resolve_entity`), ``date`` is an ``xsd:date``, ``year`` an
``xsd:integer``, ``predicate`` one of the thirteen relation predicates, ``currency`` a
three-letter ISO 4217 code (bound upper-case) or ``all``, any case, bound as ``"*"``
(so the Albanian lek cannot be picked by its code); any other is a plain string.
"""

from __future__ import annotations

import functools
import logging
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from importlib import resources
from typing import Any

import pyoxigraph as ox

from kg.analytics import resolve_entity
from kg.errors import NotFoundError
from kg.model import PREDICATES
from kg.namespaces import ONTOLOGY, XSD, Term
from kg.store import QueryResult
from kg.store import Store as StoreLike

log = logging.getLogger(__name__)

ENTITY_PARAMS = frozenset({"entity", "a", "b", "subject", "object"})

_HEADER = re.compile(r"^#\s*(title|description|param)\s*:\s*(.*)$")
_PARAM = re.compile(r"^\??([A-Za-z_][A-Za-z0-9_]*)\s*(?:=\s*([^\s—–]+))?\s*(?:—|–|-{1,2}|:)?\s*(.*)$")


@dataclass(frozen=True)
class NamedQuery:
    """One shipped query: its file name (without ``.rq``), header and SPARQL text.

    ``params`` lists every parameter in header order; ``defaults`` maps those that may
    be left out to the value they then take.
    """

    name: str
    title: str
    description: str
    params: tuple[str, ...]
    text: str
    param_help: Mapping[str, str] = field(default_factory=dict)
    defaults: Mapping[str, str] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-ready dict (what the API lists); a parameter's default only when it has one."""
        return {
            "name": self.name,
            "title": self.title,
            "description": self.description,
            "params": [
                {
                    "name": p,
                    "description": self.param_help.get(p, ""),
                    **({"default": self.defaults[p]} if p in self.defaults else {}),
                }
                for p in self.params
            ],
            "sparql": self.text,
        }


def parse_query(name: str, text: str) -> NamedQuery:
    """Build a :class:`NamedQuery` from the text of a ``.rq`` file.

    Raises:
        ValueError: the header has no title.
    """
    fields: dict[str, str] = {"title": "", "description": ""}
    params: dict[str, str] = {}
    defaults: dict[str, str] = {}
    last: str | None = None
    for line in text.splitlines():
        stripped = line.strip()
        if not stripped.startswith("#"):
            if stripped:
                break
            continue
        m = _HEADER.match(stripped)
        if m:
            key, value = m.group(1), m.group(2).strip()
            if key == "param":
                pm = _PARAM.match(value)
                if pm:
                    params[pm.group(1)] = pm.group(3).strip()
                    if pm.group(2):
                        defaults[pm.group(1)] = pm.group(2)
                    last = "param:" + pm.group(1)
            else:
                fields[key] = value
                last = key
            continue
        more = stripped.lstrip("#").strip()
        if last and more:
            if last.startswith("param:"):
                params[last[6:]] += " " + more
            else:
                fields[last] += " " + more
    if not fields["title"]:
        raise ValueError(f"named query {name!r} has no '# title:' line")
    return NamedQuery(name, fields["title"], fields["description"], tuple(params), text, params, defaults)


@functools.cache
def _load() -> dict[str, NamedQuery]:
    folder = resources.files("kg").joinpath("queries")
    out = {}
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".rq"):
            name = entry.name[:-3]
            out[name] = parse_query(name, entry.read_text(encoding="utf-8"))
    return out


def list_queries() -> list[NamedQuery]:
    """Return every named query, sorted by name."""
    return list(_load().values())


def get_query(name: str) -> NamedQuery:
    """Return one named query.

    Raises:
        NotFoundError: no query has that name; the message lists the names.
    """
    queries = _load()
    key = name.strip().removesuffix(".rq")
    if key not in queries:
        raise NotFoundError(f"no named query {name!r}; available: {', '.join(queries)}")
    return queries[key]


def bind_param(store: StoreLike, name: str, value: str) -> Term:
    """Return the RDF term a parameter value stands for, by the parameter's name.

    An entity that the store does not know is bound as a plain literal, which matches
    no triple, so the query answers with no rows rather than an error.

    Raises:
        ValueError: the value is empty or not of the parameter's type.
    """
    text = str(value).strip()
    if not text:
        raise ValueError(f"parameter {name} is empty")
    if name in ENTITY_PARAMS:
        iri = resolve_entity(store, text)
        if iri is None:
            log.info("parameter %s=%r names no entity in the store", name, text)
            return ox.Literal(text)
        return ox.NamedNode(iri)
    if name == "date":
        try:
            day = date.fromisoformat(text)
        except ValueError:
            raise ValueError(f"parameter date must be a day YYYY-MM-DD, got {value!r}") from None
        return ox.Literal(day.isoformat(), datatype=ox.NamedNode(XSD + "date"))
    if name == "year":
        if not re.fullmatch(r"\d{4}", text):
            raise ValueError(f"parameter year must be a four-digit year such as 2024, got {value!r}")
        return ox.Literal(text, datatype=ox.NamedNode(XSD + "integer"))
    if name == "predicate":
        local = text.removeprefix(ONTOLOGY).removeprefix("aikg:")
        if local not in PREDICATES:
            raise ValueError(f"parameter predicate must be one of: {', '.join(PREDICATES)}; got {value!r}")
        return ox.NamedNode(ONTOLOGY + local)
    if name == "currency":
        if not re.fullmatch(r"[A-Za-z]{3}", text):
            raise ValueError(f"parameter currency must be a three-letter code such as USD, or all; got {value!r}")
        return ox.Literal("*" if text.lower() == "all" else text.upper())
    return ox.Literal(text)


def run_named(store: StoreLike, name: str, params: Mapping[str, str] | None = None) -> QueryResult:
    """Run a named query with its parameters bound as data.

    Args:
        store: the store to query.
        name: the query's name (``investors-of``; see :func:`list_queries`).
        params: parameter name -> the value a user typed (``{"entity": "OpenAI"}``); a
            parameter with a default may be left out.

    Returns:
        The store's query result (SELECT solutions).

    Raises:
        NotFoundError: no query has that name.
        ValueError: a parameter is missing, unknown, empty or of the wrong type.
    """
    q = get_query(name)
    given = {**q.defaults, **{k.strip().lstrip("?"): v for k, v in (params or {}).items()}}
    unknown = sorted(set(given) - set(q.params))
    if unknown:
        expected = ", ".join(q.params) or "none"
        raise ValueError(f"query {q.name} takes parameters: {expected}; unknown: {', '.join(unknown)}")
    missing = [p for p in q.params if p not in given]
    if missing:
        raise ValueError(f"query {q.name} needs parameters: {', '.join(missing)} (e.g. --param {missing[0]}=...)")
    bindings = {p: bind_param(store, p, given[p]) for p in q.params}
    return store.query(query_text(store, q.name), substitutions=bindings or None)


def query_text(store: StoreLike, name: str) -> str:
    """Return the text to run for a named query: its indexed text while the store's time index is fresh.

    The five named time queries have a second text that reads the time index
    (:mod:`kg.timeindex`) and gives the same rows; any other query, or a store whose
    index is missing or out of date, gets the shipped text.
    """
    from kg import timeindex

    text = timeindex.indexed_text(name)
    if text is not None and timeindex.is_fresh(store):
        return text
    return get_query(name).text
