"""One protocol query operation as parsed from the HTTP request, and the update check.

:class:`QueryRequest` is what both runners take; :func:`looks_like_update` tells a query
that does not parse from an update sent to the query endpoint.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kg.namespaces import Term

_UPDATE_START = re.compile(
    r"^\s*(?:(?:#[^\n]*\n|PREFIX\s+[\w.-]*:\s*<[^>]*>|BASE\s*<[^>]*>)\s*)*"
    r"(INSERT|DELETE|LOAD|CLEAR|CREATE|DROP|COPY|MOVE|ADD|WITH)\b",
    re.IGNORECASE,
)


def looks_like_update(text: str) -> bool:
    """Return whether a text that failed to parse as a query starts like a SPARQL update."""
    return bool(_UPDATE_START.match(text))


@dataclass(frozen=True)
class QueryRequest:
    """One protocol query operation, as parsed from the HTTP request."""

    query: str
    default_graphs: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] = ()
    accept: str | None = None
    format: tuple[str, ...] = ()
    download: bool = False
    substitutions: dict[str, Term] | None = None
    base_iri: str | None = None
