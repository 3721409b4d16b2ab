"""The SPARQL words the checks know, the tokenizer, positions and the caret pointer."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

POINTER_WIDTH = 100  # the widest query line a pointer shows; longer ones are cut around the column

QUERY_FORMS = ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")
UPDATE_OPERATIONS = ("INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD", "WITH")
PROLOGUE = ("PREFIX", "BASE", "VERSION")
MODIFIERS = ("GROUP", "HAVING", "ORDER", "LIMIT", "OFFSET", "VALUES")

AGGREGATES = frozenset({"COUNT", "SUM", "MIN", "MAX", "AVG", "SAMPLE", "GROUP_CONCAT"})
# Built-in calls (SPARQL 1.1, 1.2 and what Oxigraph 0.5 accepts) -> (fewest, most) arguments.
ARITY: dict[str, tuple[int, int | None]] = {
    **dict.fromkeys(
        "STR LANG LANGDIR DATATYPE BOUND IRI URI ABS CEIL FLOOR ROUND STRLEN UCASE LCASE "
        "ENCODE_FOR_URI YEAR MONTH DAY HOURS MINUTES SECONDS TIMEZONE TZ MD5 SHA1 SHA256 "
        "SHA384 SHA512 ISIRI ISURI ISBLANK ISLITERAL ISNUMERIC ISTRIPLE HASLANG HASLANGDIR "
        "SUBJECT PREDICATE OBJECT".split(),
        (1, 1),
    ),
    **dict.fromkeys("LANGMATCHES CONTAINS STRSTARTS STRENDS STRBEFORE STRAFTER STRLANG STRDT SAMETERM".split(), (2, 2)),
    **dict.fromkeys("RAND NOW UUID STRUUID".split(), (0, 0)),
    **dict.fromkeys("IF STRLANGDIR TRIPLE".split(), (3, 3)),
    **dict.fromkeys("CONCAT COALESCE".split(), (0, None)),
    "BNODE": (0, 1),
    "SUBSTR": (2, 3),
    "REPLACE": (3, 4),
    "REGEX": (2, 3),
    **dict.fromkeys("COUNT SUM MIN MAX AVG SAMPLE GROUP_CONCAT".split(), (1, 1)),
}
FUNCTIONS = frozenset(ARITY) | {"EXISTS"}
# Words after which "(" is grammar, not a function call.
BEFORE_PAREN = frozenset(
    "FILTER BIND VALUES SELECT DISTINCT REDUCED BY HAVING ASC DESC IN NOT A AS "
    "WHERE CONSTRUCT DESCRIBE LATERAL SEPARATOR".split()
)
KEYWORDS = (
    frozenset(
        """
    BASE PREFIX VERSION SELECT CONSTRUCT DESCRIBE ASK DISTINCT REDUCED AS FROM NAMED WHERE
    ORDER BY ASC DESC LIMIT OFFSET GROUP HAVING VALUES UNDEF OPTIONAL GRAPH SERVICE SILENT
    BIND MINUS UNION FILTER NOT IN EXISTS LATERAL SEPARATOR TRUE FALSE A LOAD CLEAR DROP
    CREATE ADD MOVE COPY INSERT DELETE DATA WITH USING DEFAULT ALL INTO TO
""".split()
    )
    | FUNCTIONS
)
CLAUSE_WORDS = KEYWORDS - FUNCTIONS - {"A", "TRUE", "FALSE"}
# Words that never stand inside a { } group (a subquery's SELECT and clauses do).
_NOT_IN_GROUPS = frozenset(UPDATE_OPERATIONS + PROLOGUE) | {
    "DATA",
    "USING",
    "INTO",
    "TO",
    "DEFAULT",
    "ALL",
    "ASK",
    "CONSTRUCT",
    "DESCRIBE",
    "FROM",
}

# --- tokens -----------------------------------------------------------------------------

_IRI = re.compile(r"<(?:[^<>\"{}|^`\\\x00-\x20]|\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8})*>")
_IRI_LOOSE = re.compile(r"<([^<>\s\"][^<>\n]*|)>")
_IRI_OPEN = re.compile(r"<[A-Za-z][A-Za-z0-9+.-]*:[^<>\s]*")
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")
_LONG_STRING = {
    q: re.compile(q * 3 + r"(?:[^" + q + r"\\]|\\.|" + q + r"(?!" + q * 2 + r"))*" + q * 3, re.S) for q in "\"'"
}
_SHORT_STRING = {q: re.compile(q + r"(?:[^" + q + r"\\\n\r]|\\.)*" + q) for q in "\"'"}
_BAD_ESCAPE = re.compile(r"\\(?:[^tbnrf\"'\\uU]|u(?![0-9A-Fa-f]{4})|U(?![0-9A-Fa-f]{8})|$)", re.S)
_NC = r"\w\u00B7\u0300-\u036F\u203F-\u2040-"  # characters inside a name
_PN_PREFIX = r"[^\W\d_](?:[" + _NC + r".]*[" + _NC + r"])?"
_PN_LOCAL = (
    r"(?:[" + _NC + r":%]|\\[_~.!$&'()*+,;=/?#@%-])"
    r"(?:(?:[" + _NC + r":%.]|\\[_~.!$&'()*+,;=/?#@%-])*(?:[" + _NC + r":%]|\\[_~.!$&'()*+,;=/?#@%-]))?"
)
_TOKENS = re.compile(
    r"(?P<ws>[ \t\r\n]+)"
    r"|(?P<comment>\#[^\n]*)"
    r"|(?P<var>[?$][" + _NC + r"]+)"
    r"|(?P<bnode>_:[" + _NC + r"](?:[" + _NC + r".]*[" + _NC + r"])?)"
    r"|(?P<pname>(?:" + _PN_PREFIX + r")?:(?:" + _PN_LOCAL + r")?)"
    r"|(?P<badnumber>\d*\.\d+\.[\d.]*\d|\d+\.\d+[eE](?![+-]?\d))"
    r"|(?P<number>\d*\.\d+(?:[eE][+-]?\d+)?|\d+\.\d*[eE][+-]?\d+|\d+(?:[eE][+-]?\d+)?)"
    r"|(?P<lang>@[\w-]*)"
    r"|(?P<word>[^\W\d]\w*)"
    r"|(?P<punct><<\(|\)>>|<<|>>|\{\||\|\}|&&|\|\||!=|<=|>=|\^\^|[{}()\[\].,;*+\-/|^!=<>~?])"
)
_TERMS = frozenset({"var", "iri", "pname", "bnode", "string", "number"})
_OPEN, _CLOSE = "{([", "})]"
_PAIR = dict(zip(_CLOSE, _OPEN))
_UNPAIR = dict(zip(_OPEN, _CLOSE))
_COMPARE = frozenset({"=", "!=", "<", ">", "<=", ">=", "&&", "||"})


@dataclass(frozen=True)
class Token:
    """One token of the query text; ``start`` is its ``str`` index."""

    kind: str
    text: str
    start: int
    index: int = -1  # its place in the token list

    @property
    def end(self) -> int:
        return self.start + len(self.text)

    @property
    def upper(self) -> str:
        """The word in capitals (keywords are case-insensitive); "" for other kinds."""
        return self.text.upper() if self.kind == "word" else ""

    def is_(self, *texts: str) -> bool:
        """Return whether this is one of the punctuation marks or (case-insensitive) words."""
        return (self.kind == "punct" and self.text in texts) or (self.kind == "word" and self.upper in texts)


def tokenize(text: str) -> list[Token]:
    """Split query text into tokens; never fails.

    Kinds: var, bnode, pname, number, lang, word, punct, iri, string; and the broken
    ones: open-string (no closing quote), bad-iri (``<...>`` that is no IRI), open-iri
    (``<scheme:...`` without ``>``), badnumber, and other (a character SPARQL has no use
    for outside strings and IRIs). Whitespace and comments are dropped.
    """
    tokens: list[Token] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch in "\"'":
            long = text.startswith(ch * 3, i)
            m = (_LONG_STRING if long else _SHORT_STRING)[ch].match(text, i)
            if m:
                tokens.append(Token("string", m.group(0), i))
                i = m.end()
                continue
            stop = n if long else (text.find("\n", i) + 1 or n + 1) - 1
            tokens.append(Token("open-string", text[i:stop], i))
            i = stop
            continue
        if ch == "<" and not text.startswith(("<<", "<="), i):
            m = _IRI.match(text, i)
            if m:
                tokens.append(Token("iri", m.group(0), i))
                i = m.end()
                continue
            m = _IRI_LOOSE.match(text, i)
            if m and (_SCHEME.match(m.group(1)) or not re.search(r"\s", m.group(1))):
                tokens.append(Token("bad-iri", m.group(0), i))
                i = m.end()
                continue
            m = _IRI_OPEN.match(text, i)
            if m:
                tokens.append(Token("open-iri", m.group(0), i))
                i = m.end()
                continue
        m = _TOKENS.match(text, i)
        if m is None:
            tokens.append(Token("other", ch, i))
            i += 1
            continue
        if m.lastgroup not in ("ws", "comment"):
            tokens.append(Token(m.lastgroup or "other", m.group(0), i))
        i = m.end()
    return [Token(t.kind, t.text, t.start, n) for n, t in enumerate(tokens)]


# --- positions --------------------------------------------------------------------------


def line_column(text: str, offset: int) -> tuple[int, int]:
    """Return the 1-based line and column (code points) of a ``str`` index, as Oxigraph counts."""
    offset = max(0, min(offset, len(text)))
    return text.count("\n", 0, offset) + 1, offset - text.rfind("\n", 0, offset)


def _offset(text: str, line: int, column: int) -> int:
    """Return the ``str`` index of a 1-based line and column, kept inside that line."""
    start = 0
    for _ in range(max(line, 1) - 1):
        nl = text.find("\n", start)
        if nl < 0:
            return len(text)
        start = nl + 1
    end = text.find("\n", start)
    return min(start + max(column, 1) - 1, len(text) if end < 0 else end)


def _cells(ch: str) -> int:
    """Return how many monospace cells a character takes (combining marks take none)."""
    if unicodedata.combining(ch):
        return 0
    return 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1


def pointer(text: str, line: int, column: int) -> str:
    """Return the query line and a caret line under ``column``, aligned for monospace.

    Tabs are copied into the caret line; wide characters (CJK, emoji) count two cells;
    control characters show as U+FFFD; a line longer than :data:`POINTER_WIDTH` is cut
    around the column. "" when the line does not exist.
    """
    lines = text.split("\n")
    if not 1 <= line <= len(lines):
        return ""
    src = lines[line - 1].rstrip("\r")
    src = "".join(
        c if c == "\t" or unicodedata.category(c) not in ("Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp") else "\ufffd"
        for c in src
    )
    col = max(1, min(column, len(src) + 1)) - 1
    head = tail = ""
    if len(src) > POINTER_WIDTH:
        start = max(0, min(col - POINTER_WIDTH // 2, len(src) - POINTER_WIDTH))
        stop = start + POINTER_WIDTH
        head, tail = ("…" if start else ""), ("…" if stop < len(src) else "")
        src, col = src[start:stop], col - start
    caret = "".join("\t" if c == "\t" else " " * _cells(c) for c in head + src[:col]) + "^"
    return f"{head}{src}{tail}\n{caret}"


def _show(tok: Token | None, limit: int = 40) -> str:
    """Return a token for a one-line message: in backticks, cut, control characters escaped."""
    if tok is None:
        return "the end of the text"
    text = tok.text
    if tok.kind == "other" and (text.isspace() or not text.isprintable()):
        name = unicodedata.name(text, "")
        return f"the character U+{ord(text):04X}" + (f" ({name})" if name else "")
    text = "".join(c if c.isprintable() else "\\n" if c == "\n" else f"\\u{ord(c):04x}" for c in text)
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return f"`{text}`"


def _join(words: Sequence[str], last: str = "or") -> str:
    words = list(words)
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + f" {last} " + words[-1] if words else ""


def _iri_problem(iri: str) -> str:
    body = iri[1:-1]
    if re.search(r"\s", body):
        return "an IRI cannot contain spaces (write %20)"
    bad = sorted({c for c in body if c in '<>"{}|^`'})
    if bad:
        return "an IRI cannot contain " + _join([f"`{c}`" for c in bad])
    if re.search(r"\\(?!u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8})", body):
        return "a `\\` in an IRI must start \\uXXXX or \\UXXXXXXXX"
    if not _SCHEME.match(body):
        return "it is relative; write a full IRI such as <http://example.org/x>, or declare BASE <…>"
    return "not a valid IRI"
