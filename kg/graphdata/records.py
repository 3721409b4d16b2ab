"""What the reads of :mod:`kg.graphdata` share: row readers and the shapes they return.

Values out of SPARQL rows (text, days, numbers), a statement's time and amount fields
(:func:`time_fields`), and an entity reference (:func:`ref`, :func:`local`).
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

import pyoxigraph as ox

from kg.namespaces import ENTITY, ONTOLOGY, sparql_prologue
from kg.timeline import claim_day

if TYPE_CHECKING:
    pass


_P = sparql_prologue()


def _v(row: ox.QuerySolution, name: str) -> str | None:
    term = row[name]
    return term.value if term is not None else None


def _bound(row: ox.QuerySolution, name: str) -> str:
    """Return the value of a variable the query always binds."""
    value: str = row[name].value
    return value


def _day(text: str | None) -> date | None:
    if not text:
        return None
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        return None


def _float(text: str | None) -> float | None:
    try:
        return float(text) if text is not None else None
    except ValueError:
        return None


def _decimal(text: str | None) -> float | None:
    """Return an xsd:decimal's value as a JSON number (amounts and stakes fit a double)."""
    return _float(text)


#: The statement values every reader fetches, as OPTIONAL patterns on ``?st``.
_STATEMENT_VALUES = """
    OPTIONAL { ?st aikg:ended ?ended }
    OPTIONAL { ?st aikg:statedDate ?stated }
    OPTIONAL { ?st aikg:startDate ?startDate }
    OPTIONAL { ?st aikg:endDate ?endDate }
    OPTIONAL { ?st aikg:dateText ?dateText }
    OPTIONAL { ?st aikg:amount ?amount }
    OPTIONAL { ?st aikg:amountValue ?amountValue }
    OPTIONAL { ?st aikg:currency ?currency }
    OPTIONAL { ?st aikg:stakePercent ?stake }
"""
_STATEMENT_VARS = "?ended ?stated ?startDate ?endDate ?dateText ?amount ?amountValue ?currency ?stake"


def time_fields(row: ox.QuerySolution, published: str | None) -> dict[str, Any]:
    """Return a statement's time and amount fields from a row that selected ``_STATEMENT_VARS``.

    ``claim_date`` is the day the time rule places the statement at (:mod:`kg.timeline`);
    ``published`` is its article's date, the last resort of that day.
    """
    ended = _v(row, "ended") == "true"
    stated, start, end = _v(row, "stated"), _v(row, "startDate"), _v(row, "endDate")
    return {
        "ended": ended,
        "stated_date": stated,
        "date_text": _v(row, "dateText"),
        "start_date": start,
        "end_date": end,
        "claim_date": claim_day(ended, start, end, stated, published[:10] if published else None),
        "amount": _v(row, "amount"),
        "amount_value": _decimal(_v(row, "amountValue")),
        "amount_currency": _v(row, "currency"),
        "stake_percent": _decimal(_v(row, "stake")),
    }


def ref(iri: str, label: str | None = None, etype: str | None = None) -> dict[str, Any]:
    """Return the JSON of an entity reference."""
    slug = iri.removeprefix(ENTITY)
    return {"slug": slug, "iri": iri, "label": label or slug, "type": etype}


def local(iri: str | None) -> str | None:
    """Return the local name of an aikg ontology term."""
    return iri.removeprefix(ONTOLOGY) if iri else None
