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


def _values_block(names: list[str], substitutions: Mapping[str, Term]) -> str:
    return (
        " VALUES ("
        + " ".join("?" + n for n in names)
        + ") { ("
        + " ".join(term_sparql(substitutions[n]) for n in names)
        + ") } "
    )


_SUBSELECT = re.compile(r"\s*SELECT\b", re.IGNORECASE)
_PARENS = re.compile(r"\([^()]*\)")


def _projected(projection: str, names: list[str]) -> list[str]:
    """Return the names a SELECT clause passes through as plain variables (not ``(... AS ?x)``)."""
    while True:
        bare = _PARENS.sub(" ", projection)
        if bare == projection:
            break
        projection = bare
    return [n for n in names if re.search(r"[?$]" + re.escape(n) + r"\b", projection)]


_LIMITED = re.compile(r"\b(LIMIT|OFFSET)\b", re.IGNORECASE)


def closing_brace(masked: str, opening: int) -> int:
    """Return the offset of the brace that closes the one at ``opening`` (the text's end if none)."""
    depth = 0
    for k in range(opening, len(masked)):
        if masked[k] == "{":
            depth += 1
        elif masked[k] == "}":
            depth -= 1
            if depth == 0:
                return k
    return len(masked)


def _top_subqueries(masked: str, brace: int, names: list[str]) -> list[tuple[int, list[str]]]:
    """Return (offset after its opening brace, names it projects) for each subquery joined in the top group.

    Only a ``{ SELECT ... }`` that is a member of the outermost WHERE group itself
    (after ``{``, ``}`` or ``.``; not inside OPTIONAL, MINUS, UNION, GRAPH, EXISTS or a
    deeper group) and that projects a bound variable as it is: there the outer binding
    joins its rows anyway, so binding the variable inside as well changes no answer,
    and the subquery reads only the rows of that value instead of the whole store.
    """
    found = []
    depth = 0
    i = brace + 1
    while i < len(masked):
        ch = masked[i]
        if ch == "}":
            if depth == 0:
                break
            depth -= 1
        elif ch == "{":
            if depth == 0 and masked[:i].rstrip()[-1:] in ("{", "}", "."):
                m = _SUBSELECT.match(masked, i + 1)
                if m:
                    where = _WHERE.search(masked, m.end())
                    inner = masked.find("{", m.end())
                    if where is not None and where.start() < inner:
                        inner = masked.find("{", where.end())
                    projected = _projected(masked[m.end() : min(inner, where.start() if where else inner)], names)
                    if projected and inner > 0 and not _LIMITED.search(masked, i, closing_brace(masked, i)):
                        found.append((inner + 1, projected))
            depth += 1
        i += 1
    return found


def bind_values(sparql: str, substitutions: Mapping[str, Term]) -> str:
    """Return the query with a VALUES block binding variables at the top of its WHERE group.

    The values are written by pyoxigraph (escaped), so a user's text stays data. The
    block goes inside the outermost WHERE group, so it restricts the pattern before any
    aggregation, whether or not the variable is projected. A subquery of that group
    which projects a bound variable gets the same block inside its own WHERE group
    (see :func:`_top_subqueries`): the answer is the same, and the subquery is no longer
    evaluated for every value before the join keeps one.

    Raises:
        QuerySyntaxError: the query has no WHERE group to bind into.
    """
    names = list(substitutions)
    block = _values_block(names, substitutions)
    # Blank out comments, strings and IRIs so braces and keywords inside them are not seen.
    masked = _SKIP.sub(lambda m: " " * len(m.group(0)), sparql)
    where = _WHERE.search(masked)
    start = where.end() if where else 0
    brace = masked.find("{", start)
    if brace < 0:
        raise QuerySyntaxError("cannot bind parameters: the query has no WHERE { ... } group")
    inserts = [(brace + 1, block)]
    inserts += [
        (at, _values_block(projected, substitutions)) for at, projected in _top_subqueries(masked, brace, names)
    ]
    for at, text in sorted(inserts, reverse=True):
        sparql = sparql[:at] + text + sparql[at:]
    return sparql
