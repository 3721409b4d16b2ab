"""The update operation's dataset parameters, as USING clauses in the update text.

The SPARQL 1.1 Protocol (section 2.2.3) lets an update request name the dataset of its
WHERE clauses with ``using-graph-uri`` and ``using-named-graph-uri`` parameters, which
mean what USING and USING NAMED mean in the update text (SPARQL 1.1 Update, section
3.1.3). pyoxigraph's ``Store.update`` takes no dataset, so :func:`with_using` writes the
clauses into the text, before the WHERE of every DELETE/INSERT operation.

The text is not parsed here: the comments, strings, IRIs and prefixed names are skipped,
which leaves the brackets, semicolons and keywords of the update itself, and only their
positions are used. The clauses are built from IRIs that pyoxigraph validated and wrote; nothing of the user's
text is copied. pyoxigraph then parses the result as usual, so a malformed update is
still refused by the parser (a column it reports after an inserted clause, on the same
line, is shifted by the clause's length).

What happens to each kind of operation when the parameters are given:

* DELETE/INSERT ... WHERE: the clauses go before its WHERE.
* WITH, USING or USING NAMED anywhere in the request: the request is refused, as the
  protocol requires.
* DELETE WHERE: refused. Its pattern is matched against a dataset, but the grammar has
  no place for USING there; ignoring the parameters would delete from the whole store
  what the client meant to restrict to some graphs. The message gives the long form,
  ``DELETE { ... } WHERE { ... }``, which takes them.
* INSERT DATA, DELETE DATA, LOAD, CLEAR, CREATE, DROP, ADD, MOVE, COPY: unchanged. They
  match no pattern, so a dataset means nothing to them (the W3C protocol tests send
  CLEAR ALL and INSERT DATA with the parameters and expect success).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import pyoxigraph as ox

from kg.errors import QuerySyntaxError

# Tokens whose text must not be read as the update's own syntax: those that can stand
# outside a group (comments, IRIs, prefixed names) or hold a bracket or a semicolon
# (strings, IRIs, prefixed names with escapes). Variables, blank nodes and language tags
# stand only inside groups and hold neither, so they need no masking. Longest forms
# first: a long string before a short one. An IRI cannot hold a space or a bracket, so
# a comparison such as `?a < ?b` is not taken for one.
_OPAQUE_FORMS = (
    r"\#[^\r\n]*",  # comment
    r'"""(?:[^"\\]|\\.|"(?!""))*"""',
    r"'''(?:[^'\\]|\\.|'(?!''))*'''",
    r'"(?:[^"\\\r\n]|\\.)*"',
    r"'(?:[^'\\\r\n]|\\.)*'",
    r"<(?:[^<>\"{}|^`\\\x00-\x20]|\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8})*>",  # IRI
    r"(?:[^\W\d_][\w.\-\u00b7]*)?:(?:[\w.:%\-\u00b7]|\\.)*",  # prefixed name
)
_TOKEN = re.compile(
    "(?P<opaque>" + "|".join(_OPAQUE_FORMS) + r")|(?P<word>[^\W\d]\w*)|(?P<open>\{)|(?P<close>\})|(?P<semi>;)"
)

_PROLOGUE = frozenset({"BASE", "PREFIX"})


class UpdateDatasetError(QuerySyntaxError):
    """The dataset parameters cannot apply to this update (a bad request)."""


@dataclass(frozen=True)
class _Token:
    kind: str  # "word", "open", "close" or "semi"
    text: str  # upper-cased for words
    start: int


def _top_level_operations(update: str) -> list[list[_Token]]:
    """Return the tokens outside any group, one list per operation (split at ';')."""
    operations: list[list[_Token]] = [[]]
    depth = 0
    for m in _TOKEN.finditer(update):
        kind = m.lastgroup or ""  # never None: every alternative of _TOKEN is a named group
        if kind == "opaque":
            continue
        if kind == "open":
            if depth == 0:
                operations[-1].append(_Token(kind, "{", m.start()))
            depth += 1
        elif kind == "close":
            depth = max(depth - 1, 0)
        elif depth == 0:
            if kind == "semi":
                operations.append([])
            else:
                operations[-1].append(_Token(kind, m.group().upper(), m.start()))
    return [op for op in operations if op]


def _clauses(using: Sequence[str], using_named: Sequence[str]) -> str:
    """Return the USING clauses, each IRI checked and written by pyoxigraph.

    Raises:
        UpdateDatasetError: a graph name is not an absolute IRI.
    """
    parts = []
    for keyword, iris, name in (
        ("USING", using, "using-graph-uri"),
        ("USING NAMED", using_named, "using-named-graph-uri"),
    ):
        for iri in iris:
            try:
                parts.append(f"{keyword} {ox.NamedNode(iri)} ")
            except ValueError as exc:
                raise UpdateDatasetError(f"{name} {iri!r} is not an absolute IRI: {exc}") from exc
    return "".join(parts)


def with_using(update: str, using: Sequence[str] = (), using_named: Sequence[str] = ()) -> str:
    """Return the update with the protocol's dataset written as USING / USING NAMED clauses.

    Args:
        update: the update text as the client sent it.
        using: the ``using-graph-uri`` values (the WHERE clauses' default graph).
        using_named: the ``using-named-graph-uri`` values (their named graphs).

    Returns:
        The text with the clauses before the WHERE of every DELETE/INSERT operation;
        the text itself when no parameter is given.

    Raises:
        UpdateDatasetError: the update has its own USING, USING NAMED or WITH clause, or
            a DELETE WHERE operation, or a graph name is not an absolute IRI.
    """
    if not using and not using_named:
        return update
    clauses = _clauses(using, using_named)
    inserts: list[int] = []
    for number, op in enumerate(_top_level_operations(update), 1):
        words = [t for t in op if t.kind == "word"]
        own = next((t.text for t in words if t.text in ("USING", "WITH")), None)
        if own is not None:
            raise UpdateDatasetError(
                f"the update has its own {own} clause (operation {number}): send the dataset either "
                "as USING/USING NAMED/WITH in the update or as using-graph-uri/using-named-graph-uri "
                "parameters, not both (SPARQL 1.1 Protocol 2.2.3)"
            )
        body = [t for t in op if t.text not in _PROLOGUE]
        if len(body) < 2 or body[0].text not in ("INSERT", "DELETE") or body[1].text == "DATA":
            continue
        if body[0].text == "DELETE" and body[1].text == "WHERE":
            raise UpdateDatasetError(
                f"DELETE WHERE (operation {number}) has no place for a dataset, so "
                "using-graph-uri/using-named-graph-uri cannot apply to it: write it as "
                "DELETE { pattern } WHERE { pattern }"
            )
        where = next((t for t in body[1:] if t.text == "WHERE"), None)
        if where is not None:
            inserts.append(where.start)
    for at in reversed(inserts):
        update = update[:at] + clauses + update[at:]
    return update
