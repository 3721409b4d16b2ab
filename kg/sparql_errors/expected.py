"""Reading Oxigraph's message: its position and its list of what may come next, in words."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from kg.sparql_errors.tokens import _offset

_POSITION = re.compile(r"^\s*error at (\d+):(\d+):\s*")


# --- the parser's expected list -----------------------------------------------------------


def _split_expected(rest: str) -> list[str]:
    """Split ``one of a, b, [...]`` into items; commas inside quotes or brackets stay."""
    rest = rest.strip()
    rest = rest[len("one of ") :] if rest.startswith("one of ") else rest
    items: list[str] = []
    buf: list[str] = []
    depth, quote, i = 0, "", 0
    while i < len(rest):
        c = rest[i]
        buf.append(c)
        if quote:
            if c == "\\" and i + 1 < len(rest):
                buf.append(rest[i + 1])
                i += 1
            elif c == quote:
                quote = ""
        elif c in "\"'":
            quote = c
        elif c in "[]":
            depth += 1 if c == "[" else -1
        elif c == "," and depth == 0 and rest[i + 1 : i + 2] in (" ", "\n", ""):
            buf.pop()
            items.append("".join(buf).strip())
            buf = []
        i += 1
    if "".join(buf).strip():
        items.append("".join(buf).strip())
    return items


def _is_sentence(item: str) -> bool:
    """Return whether an expected item is one of the parser's sentences rather than a token."""
    return " " in item and not item.startswith(("[", '"')) and bool(re.search(r"[a-z]{3}", item))


_TOKEN_WORDS = {
    "$": "a variable",
    "?": "a variable",
    "<": "an IRI",
    ":": "a prefixed name",
    "'": "a string",
    '"': "a string",
    "'''": "a string",
    '"""': "a string",
    "+": "a number",
    "-": "a number",
    "_:": "a blank node",
    "true": "true or false",
    "false": "true or false",
}
_NOISE = frozenset({"<<", "<<(", ")>>", ">>", "{|", "|}", "~", "\\", "\\u", "\\U"})
_RANK = ["a variable", "an IRI", "a prefixed name", "a string", "a number", "true or false", "a blank node"]


def _describe(items: Iterable[str]) -> list[str]:
    """Turn the parser's expected items into words a person knows, dropping the noise.

    Keywords are dropped: Oxigraph lists only whichever keyword it tried last (a lone
    "expected OPTIONAL" is usually wrong). So are character classes that only continue
    the name being read, and "any character".
    """
    words: list[str] = []
    for item in items:
        if len(item) >= 2 and item[0] == item[-1] == '"':
            tok = item[1:-1].replace('\\"', '"').replace("\\\\", "\\")
            if tok not in _NOISE:
                words.append(_TOKEN_WORDS.get(tok, f"`{tok}`"))
        elif item.replace(" ", "") == "['0'..='9']":
            words.append("a number")
        elif item.startswith("['A' ..= 'Z' | 'a' ..= 'z' | '\\u{00C0}'"):
            words.append("a prefixed name")
        elif item == "['>']":
            words.append("`>`")
    out = list(dict.fromkeys(words))
    return [w for w in _RANK if w in out] + [w for w in out if w not in _RANK]


@dataclass
class _Parsed:
    offset: int | None
    expected: list[str] = field(default_factory=list)
    sentences: list[str] = field(default_factory=list)


def _parse_message(text: str, raw: str, exc: SyntaxError) -> _Parsed:
    """Read the position and the expected items out of the parser's message."""
    m = _POSITION.match(raw)
    if m:
        offset: int | None = _offset(text, int(m.group(1)), int(m.group(2)))
    elif getattr(exc, "lineno", None):
        offset = _offset(text, int(exc.lineno or 1), int(getattr(exc, "offset", None) or 1))
    else:
        offset = None
    rest = (raw[m.end() :] if m else raw).strip()
    items = _split_expected(rest[len("expected ") :]) if rest.startswith("expected ") else []
    sentences = [i for i in items if _is_sentence(i)]
    if not m and not items and rest:
        sentences = [rest.splitlines()[0]]
    return _Parsed(offset, [i for i in items if i not in sentences], sentences)
