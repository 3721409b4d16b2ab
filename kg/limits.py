"""Static checks on SPARQL text, run before any of it reaches the engine.

Oxigraph's parser and planner recurse over the query: a flat group of a few thousand
triple patterns or a few thousand nested brackets overflow the native stack and kill the
process. Untrusted text is therefore measured first (its size, its triple patterns, its
bracket depth, the rows of its VALUES blocks) and refused with a 400 that names the limit
and its setting. The counts are made on a copy of the text with strings, IRIs and
comments blanked, so nothing a user writes inside a literal counts.

The same pass finds the operations that make the server reach the network: ``SERVICE``
in queries, ``LOAD`` in updates. They are refused unless their host is on the allowlist
(``AIKG_ALLOW_REMOTE``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import urlsplit

from kg.errors import QueryLimitError, RemoteAccessError
from kg.store import _SKIP
from kg.store.query_text import closing_brace

# Strings (long and short forms), IRIs and comments are blanked before counting, with the
# same pattern the store's nesting check uses.
# A '.' that ends a triple pattern: not part of a decimal (1.5), not inside a prefixed
# name (ex:a.b is one name); ';' and ',' each add one more pattern to the subject.
_SEPARATOR = re.compile(r"(?<![0-9])\.|\.(?![0-9])|[;,]")
# Keywords that reach out; a name such as ?service or ex:SERVICE is not one.
_SERVICE = re.compile(r"(?<![\w:?$@-])SERVICE(?![\w:-])(\s+SILENT)?\s*(<[^>]*>|[?$]\w+|[\w-]*:[\w.-]*)?", re.IGNORECASE)
_LOAD = re.compile(r"(?<![\w:?$@-])LOAD(?![\w:-])(\s+SILENT)?\s*(<[^>]*>)?", re.IGNORECASE)
_VALUES = re.compile(r"(?<![\w:?$@-])VALUES(?![\w:-])", re.IGNORECASE)


@dataclass(frozen=True)
class QueryLimits:
    """What untrusted SPARQL text may hold; each limit has its ``AIKG_`` setting."""

    max_bytes: int = 512 * 1024
    max_triple_patterns: int = 1000
    max_depth: int = 200
    max_values_rows: int = 10_000


DEFAULT_LIMITS = QueryLimits()


def mask(text: str) -> str:
    """Return the text with strings, IRIs and comments blanked to spaces (same length).

    IRIs keep their angle brackets, so a masked IRI is still one token.
    """

    def blank(m: re.Match[str]) -> str:
        s = m.group(0)
        if s.startswith("<"):
            return "<" + " " * (len(s) - 2) + ">"
        return " " * len(s)

    return _SKIP.sub(blank, text)


def _depth(masked: str, limit: int) -> int:
    depth = deepest = 0
    for ch in masked:
        if ch in "{([":
            depth += 1
            if depth > deepest:
                deepest = depth
                if deepest > limit:
                    return deepest
        elif ch in "})]":
            depth -= 1
    return deepest


def triple_patterns(masked: str) -> int:
    """Return an upper estimate of the triple patterns in masked SPARQL text.

    Every '.', ';' and ',' that ends or continues a pattern is counted: an estimate that
    errs high (commas in function calls count too). A group's last pattern may end without
    a '.', so a query of N patterns counts N or N - 1.
    """
    return len(_SEPARATOR.findall(masked))


def values_rows(masked: str) -> int:
    """Return the number of data rows in the VALUES blocks of masked SPARQL text."""
    rows = 0
    for m in _VALUES.finditer(masked):
        brace = masked.find("{", m.end())
        if brace < 0:
            continue
        head = masked[m.end() : brace]
        end = masked.find("}", brace)
        body = masked[brace + 1 : end if end >= 0 else len(masked)]
        if "(" in head:
            rows += body.count("(")
        else:
            rows += len(body.split())
    return rows


_WHERE_KW = re.compile(r"(?<![\w:?$@-])WHERE(?![\w:-])", re.IGNORECASE)


def where_groups(masked: str) -> str:
    """Return the WHERE groups of masked update text (what is matched, not the data written).

    ``INSERT DATA`` blocks and ``INSERT``/``DELETE`` templates are ground data or
    instantiated per solution: they hold no patterns for the engine to join.
    """
    parts: list[str] = []
    pos = 0
    for m in _WHERE_KW.finditer(masked):
        if m.start() < pos:
            continue
        brace = masked.find("{", m.end())
        if brace < 0:
            break
        end = closing_brace(masked, brace)
        if end == len(masked):
            parts.append(masked[brace:])
            break
        parts.append(masked[brace : end + 1])
        pos = end + 1
    return " ".join(parts)


def check_text(text: str, limits: QueryLimits = DEFAULT_LIMITS, *, update: bool = False) -> None:
    """Refuse SPARQL text over any static limit, before a parser sees it.

    For an update, the size is bounded by the request body limit instead, and triple
    patterns and VALUES rows are counted in its WHERE groups only: a batch of ground data
    (``INSERT DATA``) may be large, and is parsed and written linearly.

    Raises:
        QueryLimitError: the text is too large, has too many triple patterns, nests too
            deeply or has too many VALUES rows; the message names the limit and setting.
    """
    what = "update" if update else "query"
    size = len(text.encode("utf-8"))
    if size > limits.max_bytes and not update:
        raise QueryLimitError(
            f"the {what} is {size} bytes, over the server's limit of {limits.max_bytes} (AIKG_MAX_QUERY_BYTES)"
        )
    # Cheap exit first: a short text cannot pass the counting limits (each pattern or row
    # takes at least two characters), and few brackets cannot nest deeply.
    short = min(2000, 2 * limits.max_values_rows, 2 * limits.max_triple_patterns)
    if text.count("{") + text.count("(") + text.count("[") > limits.max_depth or len(text) > short:
        masked = mask(text)
    else:
        return
    depth = _depth(masked, limits.max_depth)
    if depth > limits.max_depth:
        raise QueryLimitError(
            f"the {what} nests brackets more than {limits.max_depth} levels deep, the server's limit (AIKG_MAX_NESTING)"
        )
    if update:
        masked = where_groups(masked)
    patterns = triple_patterns(masked)
    if patterns > limits.max_triple_patterns:
        raise QueryLimitError(
            f"the {what} has about {patterns} triple patterns, over the server's limit of "
            f"{limits.max_triple_patterns} (AIKG_MAX_TRIPLE_PATTERNS): split it, or use VALUES"
        )
    rows = values_rows(masked)
    if rows > limits.max_values_rows:
        raise QueryLimitError(
            f"the {what}'s VALUES blocks have {rows} rows, over the server's limit of "
            f"{limits.max_values_rows} (AIKG_MAX_VALUES_ROWS)"
        )


def host_allowed(iri: str, allow: Iterable[str]) -> bool:
    """Return whether an http(s) IRI's host is on the allowlist.

    An entry is a host name or address (any port) or ``host:port`` (that port only; the
    scheme's default port when the IRI names none). IPv6 addresses are written in brackets.
    """
    parts = urlsplit(iri)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return False
    host = parts.hostname.lower()
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        return False
    for entry in allow:
        entry = entry.strip().lower()
        if not entry:
            continue
        name, sep, entry_port = entry.rpartition(":") if not entry.endswith("]") else ("", "", "")
        if sep and entry_port.isdigit():
            if name.strip("[]") == host and int(entry_port) == port:
                return True
        elif entry.strip("[]") == host:
            return True
    return False


def remote_targets(text: str, *, update: bool) -> list[tuple[str, str | None]]:
    """Return the (keyword, IRI or None) of every SERVICE (and, for updates, LOAD) in the text.

    The IRI is None where it is a variable or a prefixed name the check cannot resolve.
    """
    masked = mask(text)
    found: list[tuple[str, str | None]] = []
    patterns = [("SERVICE", _SERVICE)] + ([("LOAD", _LOAD)] if update else [])
    for keyword, pattern in patterns:
        for m in pattern.finditer(masked):
            target = m.group(2)
            iri = None
            if target and target.startswith("<"):
                start = m.start(2)
                iri = text[start + 1 : start + len(target) - 1]
            found.append((keyword, iri))
    return found


def check_remote(text: str, allow: Iterable[str], *, update: bool = False) -> None:
    """Refuse SERVICE (and LOAD in updates) unless its host is on the allowlist.

    Raises:
        RemoteAccessError: a SERVICE or LOAD names a host not allowed, or a target the
            check cannot see (a variable or a prefixed name).
    """
    allow = [a for a in allow if a.strip()]
    for keyword, iri in remote_targets(text, update=update):
        if iri is None:
            raise RemoteAccessError(
                f"{keyword} needs a full <http://…> IRI on this server (a variable or prefixed name "
                "cannot be checked against AIKG_ALLOW_REMOTE)"
            )
        if not host_allowed(iri, allow):
            what = "calls to other SPARQL services are" if keyword == "SERVICE" else "loading data from URLs is"
            raise RemoteAccessError(
                f"{keyword} <{iri}> refused: this server makes no outbound requests unless the host is "
                f"listed in AIKG_ALLOW_REMOTE ({what} off by default)"
            )
