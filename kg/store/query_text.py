"""SPARQL text work before a query runs: terms as SPARQL, the nesting guard, bound parameters."""

from __future__ import annotations

import re
from collections.abc import Mapping

from kg.errors import QuerySyntaxError
from kg.namespaces import Term


def term_sparql(term: Term) -> str:
    """Return the term in SPARQL syntax, escaped by pyoxigraph (never by hand)."""
    return str(term)


_SKIP = re.compile(
    r'#[^\n]*|"""(?:[^"\\]|\\.|"(?!""))*"""|\'\'\'(?:[^\'\\]|\\.|\'(?!\'\'))*\'\'\''
    r'|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\'|<[^<>"{}|^`\\\s]*>'
)
_WHERE = re.compile(r"\bWHERE\b", re.IGNORECASE)


MAX_NESTING = 200


def check_query(sparql: str, *, max_depth: int = MAX_NESTING) -> None:
    """Refuse a query or update whose brackets nest deeper than ``max_depth``.

    Oxigraph's parser recurses once per level: a few thousand nested groups overflow the
    native stack and kill the process, so this check runs before any text reaches it.
    Brackets inside strings, IRIs and comments do not count.

    Raises:
        QuerySyntaxError: nested too deeply (the message names AIKG_MAX_NESTING).
    """
    if sparql.count("{") + sparql.count("(") + sparql.count("[") <= max_depth:
        return
    masked = _SKIP.sub(lambda m: " " * len(m.group(0)), sparql)
    depth = 0
    for ch in masked:
        if ch in "{([":
            depth += 1
            if depth > max_depth:
                raise QuerySyntaxError(
                    f"the query nests brackets more than {max_depth} levels deep, the server's limit (AIKG_MAX_NESTING)"
                )
        elif ch in "})]":
            depth -= 1


def bind_values(sparql: str, substitutions: Mapping[str, Term]) -> str:
    """Return the query with a VALUES block binding variables at the top of its WHERE group.

    The values are written by pyoxigraph (escaped), so a user's text stays data. The
    block goes inside the outermost WHERE group, so it restricts the pattern before any
    aggregation, whether or not the variable is projected.

    Raises:
        QuerySyntaxError: the query has no WHERE group to bind into.
    """
    names = list(substitutions)
    block = (
        " VALUES ("
        + " ".join("?" + n for n in names)
        + ") { ("
        + " ".join(term_sparql(substitutions[n]) for n in names)
        + ") } "
    )
    # Blank out comments, strings and IRIs so braces and keywords inside them are not seen.
    masked = _SKIP.sub(lambda m: " " * len(m.group(0)), sparql)
    where = _WHERE.search(masked)
    start = where.end() if where else 0
    brace = masked.find("{", start)
    if brace < 0:
        raise QuerySyntaxError("cannot bind parameters: the query has no WHERE { ... } group")
    return sparql[: brace + 1] + block + sparql[brace + 1 :]
