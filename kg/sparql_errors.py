"""Readable SPARQL syntax errors, built from Oxigraph's parser message and the query text.

Oxigraph's parser (a PEG parser) reports the furthest place it reached and every
terminal it tried there: ``error at 1:29: expected one of Prefix not found, ['%'],
['-' | '0' ..= '9' ...``. That place is often past the real mistake, and most of the
list (character classes, whichever keyword it happened to try last) says nothing to a
person.

:func:`syntax_error` turns it into one line in plain words with the line and column of
the mistake, plus the query line with a caret under it. It reads the text with a small
tokenizer (so strings, IRIs and comments are never taken for syntax) and runs checks for
the mistakes people make: a misspelt query form or keyword, an undeclared prefix, an
unclosed or mismatched bracket, a missing ``.`` between triple patterns, an unknown
function or a wrong number of arguments, an unterminated string, a bad IRI, clauses out
of order, a variable selected but not grouped, and more. A check reports only what is
wrong in any SPARQL parser's eyes, and only at or before the place where Oxigraph
stopped (the earliest such mistake wins); when no check applies, Oxigraph's place is
kept and described by what is found there and a cleaned-up list of what may come next.

Positions: Oxigraph counts lines from 1, starting one after each ``\\n`` (a ``\\r``
alone is no line break), and columns from 1 in Unicode code points: the unit of a Python
``str`` index, so ``line_column`` and Oxigraph agree on non-ASCII text.

Only ``str(exc)`` (or ``exc.msg``), ``exc.lineno``, ``exc.offset`` and the text are
read, so a ``SyntaxError`` rebuilt in another process gives the same answer. The query
is never handed to Oxigraph again: this is text work, safe in a process that must not
crash.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from kg.errors import QuerySyntaxError

__all__ = ["syntax_error", "server_error", "pointer", "line_column", "tokenize"]

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

_POSITION = re.compile(r"^\s*error at (\d+):(\d+):\s*")

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


# --- findings ---------------------------------------------------------------------------


@dataclass
class Finding:
    """A mistake at ``offset`` (a ``str`` index) and the words that describe it."""

    offset: int
    message: str
    found: Token | None = None
    expected: tuple[str, ...] = ()
    rank: int = 0  # between findings at one offset, the lower rank wins


@dataclass
class _Frame:
    """An open bracket while scanning, and the triple pattern being read inside it."""

    opener: Token | None
    kind: str  # top, group, data (a VALUES block), paren, bracket
    room: int | None = None  # terms the current triple run may still take; None: not in one
    count: int = 0
    after_dot: bool = False
    modifiers: list[Token] | None = None  # solution modifiers after a closed group
    has_select: bool = False  # a subquery: SELECT is directly inside


# What the grammar wants after a keyword (or ^^): its description and a test of the next token.
_Test = Callable[[Token], bool]


def _kinds(*kinds: str) -> _Test:
    return lambda t: t.kind in kinds


def _words(*words: str) -> _Test:
    return lambda t: t.is_(*words)


def _any(*tests: _Test) -> _Test:
    return lambda t: any(test(t) for test in tests)


_IRI_LIKE = _kinds("iri", "pname", "bad-iri", "open-iri")
_AFTER: dict[str, tuple[str, _Test]] = {
    "ORDER": ("BY", _words("BY")),
    "GROUP": ("BY", _words("BY")),
    "LIMIT": ("a whole number", lambda t: t.kind == "number" and t.text.isdigit()),
    "OFFSET": ("a whole number", lambda t: t.kind == "number" and t.text.isdigit()),
    "AS": ("a variable", _kinds("var")),
    "WHERE": ("`{`", _words("{")),
    "OPTIONAL": ("`{`", _words("{")),
    "MINUS": ("`{`", _words("{")),
    "EXISTS": ("`{`", _words("{")),
    "UNION": ("`{`", _words("{")),
    "LATERAL": ("`{`", _words("{")),
    "DATA": ("`{`", _words("{")),
    "NOT": ("EXISTS or IN", _words("EXISTS", "IN")),
    "IN": ("`(`", _words("(")),
    "FILTER": ("`(` or a function call", _any(_words("(", "NOT", *FUNCTIONS), _IRI_LIKE)),
    "BIND": ("`(`", _words("(")),
    "HAVING": ("`(` or a function call", _any(_words("(", *FUNCTIONS), _IRI_LIKE)),
    "FROM": ("an IRI (or NAMED)", _any(_IRI_LIKE, _words("NAMED"))),
    "INTO": ("GRAPH", _words("GRAPH")),
    "USING": ("an IRI (or NAMED)", _any(_IRI_LIKE, _words("NAMED"))),
    "WITH": ("an IRI", _IRI_LIKE),
    "GRAPH": ("a variable or an IRI", _any(_IRI_LIKE, _kinds("var"))),
    "SERVICE": ("a variable or an IRI", _any(_IRI_LIKE, _kinds("var"), _words("SILENT"))),
    "SELECT": (
        "`*`, a variable or `(expression AS ?name)`",
        _any(_kinds("var"), _words("*", "(", "DISTINCT", "REDUCED")),
    ),
    "DESCRIBE": ("`*`, a variable or an IRI", _any(_kinds("var"), _IRI_LIKE, _words("*"))),
    "CONSTRUCT": ("`{` or WHERE", _words("{", "WHERE", "FROM")),
    "ASK": ("`{` or WHERE", _words("{", "WHERE", "FROM", "VALUES")),
    "CLEAR": ("GRAPH, DEFAULT, NAMED or ALL", _words("GRAPH", "DEFAULT", "NAMED", "ALL", "SILENT")),
    "DROP": ("GRAPH, DEFAULT, NAMED or ALL", _words("GRAPH", "DEFAULT", "NAMED", "ALL", "SILENT")),
    "CREATE": ("GRAPH", _words("GRAPH", "SILENT")),
    "LOAD": ("an IRI", _any(_IRI_LIKE, _words("SILENT"))),
    "TO": ("GRAPH, DEFAULT or an IRI", _any(_IRI_LIKE, _words("GRAPH", "DEFAULT"))),
    "INSERT": ("DATA or `{`", _words("DATA", "{")),
    "DELETE": ("DATA, WHERE or `{`", _words("DATA", "WHERE", "{")),
    "VALUES": ("a variable or `(`", _any(_kinds("var"), _words("("))),
    "BY": (
        "a variable or an expression",
        _any(_kinds("var"), _IRI_LIKE, _words("(", "ASC", "DESC", *(FUNCTIONS - {"EXISTS"}))),
    ),
    "^^": ("a datatype IRI", _IRI_LIKE),
}


class _Analysis:
    """The checks on one query text; see :func:`syntax_error`."""

    def __init__(self, text: str, operation: str | None, base_iri: str | None):
        self.text = text
        self.tokens = tokenize(text)
        self.operation = operation or self._guess_operation()
        self.noun = "update" if self.operation == "update" else "query"
        self.base_iri = base_iri
        self.findings: list[Finding] = []
        toks = self.tokens
        self.prefixes = {
            toks[i + 1].text.split(":", 1)[0]
            for i in range(len(toks) - 1)
            if toks[i].upper == "PREFIX" and toks[i + 1].kind == "pname"
        }
        self.has_base = any(t.upper == "BASE" for t in toks)

    def _guess_operation(self) -> str:
        for t in self.tokens:
            if t.upper in PROLOGUE or t.kind in ("iri", "pname"):
                continue
            return "update" if t.upper in UPDATE_OPERATIONS else "query"
        return "query"

    def where(self, offset: int) -> str:
        line, col = line_column(self.text, offset)
        return f"line {line}, column {col}"

    def index_at(self, offset: int) -> int:
        """Return the index of the token covering ``offset``, else of the first one after it."""
        return next((i for i, t in enumerate(self.tokens) if t.end > offset), len(self.tokens))

    def token_at(self, offset: int) -> Token | None:
        i = self.index_at(offset)
        return self.tokens[i] if i < len(self.tokens) else None

    def add(
        self, offset: int, message: str, found: Token | None = None, expected: Sequence[str] = (), rank: int = 0
    ) -> None:
        self.findings.append(Finding(offset, message, found, tuple(expected), rank))

    def group(self, open_i: int) -> list[int]:
        """Return the indexes of the tokens inside the bracket opened at ``open_i``."""
        depth = 0
        out: list[int] = []
        for j in range(open_i, len(self.tokens)):
            t = self.tokens[j]
            if t.kind == "punct" and t.text in _OPEN:
                depth += 1
            elif t.kind == "punct" and t.text in _CLOSE:
                depth -= 1
                if depth == 0:
                    return out
            if j > open_i:
                out.append(j)
        return out

    def run(self) -> None:
        """Every check that needs only the text."""
        self.check_forms()
        self.check_lexical()
        self.check_prefixes()
        self.check_words()
        self.check_context()
        self.check_expressions()
        self.check_select_expressions()
        self.check_structure()

    # --- the shape of the text

    def check_forms(self) -> None:
        """The query form, or each update operation, after its PREFIX/BASE lines."""
        toks = self.tokens
        starts = [0]
        if self.operation == "update":
            depth = 0
            for i, t in enumerate(toks):
                if t.kind == "punct" and t.text in _OPEN:
                    depth += 1
                elif t.kind == "punct" and t.text in _CLOSE:
                    depth -= 1
                elif t.text == ";" and depth == 0 and i + 1 < len(toks):
                    starts.append(i + 1)
        allowed = UPDATE_OPERATIONS if self.operation == "update" else QUERY_FORMS
        for start in starts:
            k = self._prologue(start)
            if k is not None and k >= len(toks) and k > start:
                what = "SELECT, ASK, CONSTRUCT or DESCRIBE" if self.operation != "update" else "an update operation"
                self.add(
                    len(self.text),
                    f"unexpected end of {self.noun}: expected {what} after the PREFIX/BASE declarations",
                    None,
                    list(allowed),
                )
            if k is None or k >= len(toks) or toks[k].upper in allowed:
                continue
            t = toks[k]
            if self.operation == "update":
                words = "INSERT, DELETE, LOAD, CLEAR, CREATE, DROP, COPY, MOVE, ADD or WITH (or PREFIX/BASE)"
                hint = " (a query, not an update)" if t.upper in QUERY_FORMS and t.text.isupper() else ""
            else:
                words = "SELECT, ASK, CONSTRUCT or DESCRIBE (or PREFIX/BASE)"
                hint = " (an update, not a query)" if t.upper in UPDATE_OPERATIONS and t.text.isupper() else ""
            guess = self._suggest(t, allowed + PROLOGUE) if t.kind == "word" else ""
            self.add(t.start, f"expected {words} but found {_show(t)}{hint}{guess}", t, [*allowed, "PREFIX", "BASE"])

    def _prologue(self, i: int) -> int | None:
        """Skip PREFIX/BASE/VERSION declarations from token ``i``; report a broken one."""
        toks = self.tokens

        def at(k: int) -> Token | None:
            return toks[k] if k < len(toks) else None

        def offset(t: Token | None) -> int:
            return t.start if t is not None else len(self.text)

        while i < len(toks) and toks[i].upper in PROLOGUE:
            kw = toks[i].upper
            if kw == "PREFIX":
                name, iri = at(i + 1), at(i + 2)
                if name is None or name.kind != "pname" or not name.text.endswith(":") or name.text.count(":") > 1:
                    self.add(
                        offset(name),
                        f"PREFIX needs a name ending in `:` (like `ex:`) but found {_show(name)}",
                        name,
                        ["a prefix name like ex:"],
                    )
                    return None
                if iri is None or iri.kind not in ("iri", "bad-iri", "open-iri"):
                    self.add(
                        offset(iri),
                        f"PREFIX {name.text} needs an IRI in angle brackets (PREFIX {name.text} "
                        f"<http://example.org/>) but found {_show(iri)}",
                        iri,
                        ["an IRI"],
                    )
                    return None
                i += 3
            elif kw == "BASE":
                iri = at(i + 1)
                if iri is None or iri.kind not in ("iri", "bad-iri", "open-iri"):
                    self.add(
                        offset(iri),
                        f"BASE needs an IRI in angle brackets (BASE <http://example.org/>) but found {_show(iri)}",
                        iri,
                        ["an IRI"],
                    )
                    return None
                i += 2
            else:
                i += 2
        return i

    def check_lexical(self) -> None:
        """Strings and IRIs that do not end, bad escapes and numbers, characters out of place."""
        for i, t in enumerate(self.tokens):
            prev = self.tokens[i - 1] if i else None
            if t.kind == "open-string":
                q = t.text[:3] if t.text[:3] in ('"""', "'''") else t.text[0]
                where = "in the rest of the text" if len(q) == 3 else "on its line"
                self.add(t.start, f"unterminated string: this {q} has no closing {q} {where}", t, [f"a closing {q}"])
            elif t.kind == "string":
                m = _BAD_ESCAPE.search(t.text, 1, len(t.text) - 1)
                if m:
                    escape = Token("escape", m.group(0) or "\\", t.start + m.start())
                    self.add(
                        escape.start,
                        f"invalid escape {_show(escape)} in a string; the escapes are "
                        "\\t \\b \\n \\r \\f \\\" \\' \\\\ and \\uXXXX",
                        escape,
                    )
            elif t.kind == "bad-iri":
                self.add(t.start, f"invalid IRI {_show(t)}: {_iri_problem(t.text)}", t, ["an IRI"])
            elif t.kind == "iri" and not self.has_base and self.base_iri is None and not _SCHEME.match(t.text[1:]):
                self.add(t.start, f"invalid IRI {_show(t)}: {_iri_problem(t.text)}", t, ["an IRI"], rank=1)
            elif t.kind == "open-iri":
                self.add(t.start, f"unclosed IRI {_show(t)}: expected `>` at its end", t, ["`>`"])
            elif t.kind == "badnumber":
                self.add(t.start, f"invalid number {_show(t)}", t, ["a number"])
            elif t.kind == "lang" and not re.fullmatch(r"@[A-Za-z]+(-[A-Za-z0-9]+)*", t.text):
                if prev is not None and prev.kind == "string" and prev.end == t.start:
                    self.add(
                        t.start, f"invalid language tag {_show(t)}; write it like @en or @en-GB", t, ["a language tag"]
                    )
                else:
                    self.add(t.start, f'unexpected {_show(t)}: a language tag follows a string, as in "text"@en', t)
            elif t.kind == "other":
                if t.text.isspace() or not t.text.isprintable():
                    self.add(t.start, f"unexpected {_show(t)}; replace it with a plain space", t)
                else:
                    self.add(t.start, f"unexpected character {_show(t)}", t)

    def check_prefixes(self) -> None:
        """Prefixed names whose prefix no PREFIX line declares."""
        toks = self.tokens
        for i, t in enumerate(toks):
            if t.kind == "pname" and not (i and toks[i - 1].upper == "PREFIX"):
                prefix = t.text.split(":", 1)[0]
                if prefix not in self.prefixes:
                    self.add(
                        t.start,
                        f"unknown prefix `{prefix}:`; declare it with PREFIX {prefix}: <…>",
                        t,
                        [f"PREFIX {prefix}: <…>"],
                    )

    def check_words(self) -> None:
        """Bare words that are no SPARQL keyword, and calls of functions SPARQL lacks."""
        toks = self.tokens
        for i, t in enumerate(toks):
            if t.kind != "word":
                continue
            call = i + 1 < len(toks) and toks[i + 1].text == "("
            if call and t.upper not in FUNCTIONS and t.upper not in BEFORE_PAREN:
                guess = self._suggest(t, sorted(FUNCTIONS))
                self.add(
                    t.start,
                    f"unknown function {_show(t)}{guess}; SPARQL has no built-in of that name "
                    "(an extension function is called by its IRI)",
                    t,
                    ["a SPARQL function"],
                    rank=1,
                )
            elif t.upper not in KEYWORDS:
                guess = self._suggest(t, sorted(KEYWORDS))
                if guess:
                    self.add(t.start, f"unknown keyword {_show(t)}{guess}", t, rank=1)
                else:
                    self.add(
                        t.start,
                        f"unexpected word {_show(t)}: not a SPARQL keyword; write a variable "
                        f"(?{t.text}), a prefixed name (ex:{t.text}) or an IRI (<…>)",
                        t,
                        rank=1,
                    )

    @staticmethod
    def _suggest(t: Token, choices: Iterable[str]) -> str:
        hits = difflib.get_close_matches(t.text.upper(), list(choices), n=1, cutoff=0.8)
        return f" (did you mean {hits[0]}?)" if hits and hits[0] != t.text.upper() else ""

    def expectation(self, i: int) -> tuple[str, str, _Test] | None:
        """What the grammar wants at token ``i`` (or at the end) judging by the token before."""
        if i == 0 or i > len(self.tokens):
            return None
        prev = self.tokens[i - 1]
        key = prev.upper if prev.kind == "word" else prev.text if prev.text == "^^" else ""
        before = self.tokens[i - 2] if i >= 2 else None
        if key in ("DISTINCT", "REDUCED") and before is not None and before.upper == "SELECT":
            return (
                f"`*`, a variable or `(expression AS ?name)` after {key}",
                key,
                _any(_kinds("var"), _words("*", "(")),
            )
        if self.operation == "update" and (prev.kind == "iri" or key == "DEFAULT"):
            j = i - 2
            while j >= 0 and self.tokens[j].upper in ("GRAPH", "SILENT"):
                j -= 1
            if j >= 0 and self.tokens[j].upper in ("ADD", "MOVE", "COPY"):
                op = self.tokens[j].upper
                return f"TO after {op} {prev.text}", op, _words("TO")
        if key in FUNCTIONS and key != "EXISTS" and prev.kind == "word":
            return f"`(` after {key}", key, _words("(")
        if key not in _AFTER:
            return None
        if key == "NAMED" or (
            key in ("GRAPH", "SERVICE")
            and before is not None
            and before.upper in ("CLEAR", "DROP", "CREATE", "TO", "INTO", "SILENT", "ADD", "MOVE", "COPY")
        ):
            return None
        if key in ("INSERT", "DELETE") and self.operation != "update":
            return None
        words, test = _AFTER[key]
        return f"{words} after {'`^^`' if key == '^^' else key}", key, test

    def check_context(self) -> None:
        """A token that cannot follow the keyword before it (ORDER without BY, FILTER ?x ...)."""
        toks = self.tokens
        for i, t in enumerate(toks):
            prev = toks[i - 1] if i else None
            before = toks[i - 2] if i >= 2 else None
            if t.upper == "BY" and (prev is None or prev.upper not in ("GROUP", "ORDER")):
                self.add(t.start, "unexpected BY: write GROUP BY or ORDER BY", t, ["GROUP BY", "ORDER BY"])
            elif (
                t.upper == "IN"
                and prev is not None
                and (prev.is_("(", ",") or prev.text in _COMPARE)
                and not (prev.upper == "NOT")
            ):
                self.add(t.start, "IN needs a value before it, as in ?x IN (1, 2)", t, ["a value"])
            elif t.upper == "DISTINCT" and not (
                prev is not None
                and (prev.upper == "SELECT" or (prev.is_("(") and before is not None and before.upper in AGGREGATES))
            ):
                self.add(
                    t.start,
                    "unexpected DISTINCT: it goes right after SELECT, or inside an aggregate as in COUNT(DISTINCT ?x)",
                    t,
                )
        for i in range(1, len(self.tokens) + 1):
            want = self.expectation(i)
            if want is None:
                continue
            words, _, test = want
            at = self.tokens[i] if i < len(self.tokens) else None
            if at is None:
                self.add(len(self.text), f"unexpected end of {self.noun}; expected {words}", None, [words])
            elif not test(at):
                self.add(at.start, f"expected {words} but found {_show(at)}", at, [words])

    def check_expressions(self) -> None:
        """Operators without a right-hand side, missing operators, empty arguments, wrong arity."""
        toks = self.tokens
        # For each open bracket: "call" (a function's arguments), "group" (parentheses in an
        # expression), "bind" (BIND, GROUP BY or a SELECT expression: AS may come), or "".
        frames: list[str] = []
        in_select = False
        for i, t in enumerate(toks):
            prev = toks[i - 1] if i else None
            nxt = toks[i + 1] if i + 1 < len(toks) else None
            inside = frames[-1] if frames else ""
            if t.upper == "SELECT":
                in_select = True
            elif t.is_("WHERE", "{", "FROM"):
                in_select = False
            if t.kind == "punct" and t.text in _OPEN:
                kind = ""
                if t.text == "(" and prev is not None:
                    word = prev.upper
                    top_select = (
                        in_select
                        and not inside
                        and (prev.kind == "var" or prev.is_(")", "SELECT", "DISTINCT", "REDUCED"))
                    )
                    if word in ("BIND", "BY") or top_select:
                        kind = "bind"
                    elif word in FUNCTIONS or word == "IN" or (inside and prev.kind in ("iri", "pname")):
                        kind = "call"
                    elif inside or word in ("FILTER", "HAVING", "ASC", "DESC"):
                        kind = "group"
                frames.append(kind)
                continue
            if t.kind == "punct" and t.text in _CLOSE:
                if frames:
                    frames.pop()
                continue
            if (
                inside
                and prev is not None
                and (t.kind in _TERMS or t.upper in ("TRUE", "FALSE") or t.upper in FUNCTIONS - {"EXISTS"})
                and (prev.kind in _TERMS | {"lang"} or prev.upper in ("TRUE", "FALSE") or prev.is_(")"))
            ):
                if inside == "bind":
                    self.add(
                        t.start, f"expected AS (or an operator) before {_show(t)}", t, ["AS", "an operator"], rank=1
                    )
                else:
                    self.add(
                        t.start, f"expected an operator or `,` before {_show(t)}", t, ["an operator", "`,`"], rank=1
                    )
            if inside and t.is_("|", "^", "."):
                hint = " (`||` is or)" if t.text == "|" else ""
                self.add(t.start, f"unexpected `{t.text}` in an expression{hint}", t, ["an operator"])
            elif inside and inside != "call" and t.is_(","):
                self.add(t.start, "unexpected `,`: only a function's arguments are separated by commas", t)
            elif inside in ("call", "group") and t.upper == "AS":
                self.add(
                    t.start,
                    "unexpected AS: it belongs directly inside BIND( … ) or a SELECT expression; "
                    "is a `)` missing before it?",
                    t,
                    ["`)`"],
                )
            elif inside and t.upper == "A":
                self.add(t.start, "unexpected `a` in an expression: it stands for rdf:type only in a triple pattern", t)
            elif (
                inside
                and t.kind == "word"
                and t.upper
                in CLAUSE_WORDS - {"AS", "IN", "NOT", "EXISTS", "DISTINCT", "SEPARATOR", "UNDEF", "ASC", "DESC"}
            ):
                self.add(t.start, f"unexpected {t.upper} inside an expression; is a `)` missing before it?", t, ["`)`"])
            if t.kind == "punct" and t.text in _COMPARE:
                if (
                    nxt is None
                    or nxt.is_(")", ",", "}", "]", ".", ";")
                    or (nxt.kind == "punct" and nxt.text in _COMPARE)
                ):
                    self.add(
                        nxt.start if nxt else len(self.text),
                        f"expected an expression after `{t.text}` but found {_show(nxt)}",
                        nxt,
                        ["an expression"],
                    )
            elif t.is_(",") and nxt is not None and nxt.is_(")"):
                self.add(nxt.start, "expected an argument after `,` but found `)`", nxt, ["an argument"])
            elif t.kind == "word" and t.upper in ARITY and nxt is not None and nxt.is_("("):
                inner = self.group(i + 1)
                if i + 2 + len(inner) >= len(toks):
                    continue  # unclosed: the bracket check says so
                args = self._arguments(inner)
                low, high = ARITY[t.upper]
                if args < low or (high is not None and args > high):
                    if high is None:
                        need = f"at least {low}"
                    elif low == high:
                        need = "no" if low == 0 else str(low)
                    else:
                        need = f"{low} to {high}"
                    plural = "" if (low == high == 1) else "s"
                    self.add(
                        t.start, f"{t.upper} takes {need} argument{plural}, not {args}", t, [f"{need} argument{plural}"]
                    )

    def _arguments(self, inner: list[int]) -> int:
        if not inner:
            return 0
        depth, count = 0, 1
        for k in inner:
            t = self.tokens[k]
            if t.kind == "punct" and t.text in _OPEN:
                depth += 1
            elif t.kind == "punct" and t.text in _CLOSE:
                depth -= 1
            elif t.is_(",") and depth == 0:
                count += 1
        return count

    def check_select_expressions(self) -> None:
        """``(expression AS ?name)`` in SELECT: the AS part must be there."""
        toks = self.tokens
        for i, t in enumerate(toks):
            if t.upper != "SELECT":
                continue
            j = i + 1
            while j < len(toks) and not toks[j].is_("WHERE", "{", "FROM"):
                if toks[j].upper in FUNCTIONS:
                    self.add(
                        toks[j].start,
                        f"expected `(` before {toks[j].upper}: a SELECT expression is written "
                        f"({toks[j].upper}(…) AS ?name)",
                        toks[j],
                        ["`(`"],
                    )
                    break
                if toks[j].upper in CLAUSE_WORDS - {"DISTINCT", "REDUCED", "AS"}:
                    self.add(
                        toks[j].start,
                        f"unexpected {toks[j].upper} in the SELECT clause: the clause lists "
                        "variables and (expression AS ?name), then comes WHERE { … }",
                        toks[j],
                        ["WHERE"],
                    )
                    break
                if toks[j].is_("("):
                    inner = self.group(j)
                    end = j + len(inner) + 1
                    depth_as = [k for k in inner if toks[k].upper == "AS"]
                    if end < len(toks) and toks[end].is_(")") and not depth_as:
                        last = toks[inner[-1]] if inner else None
                        if last is not None and last.kind == "var" and len(inner) > 1:
                            self.add(
                                last.start,
                                f"expected AS before {_show(last)}: a SELECT expression is "
                                f"written (expression AS {last.text})",
                                last,
                                ["AS"],
                            )
                        else:
                            self.add(
                                toks[end].start,
                                "expected `AS ?name` before `)`: a SELECT expression is written (expression AS ?name)",
                                toks[end],
                                ["AS"],
                            )
                    j = end + 1
                    continue
                j += 1

    def check_structure(self) -> None:
        """Brackets, triple patterns, solution modifiers, what follows a closed block."""
        toks = self.tokens
        stack = [_Frame(None, "top")]
        values_pending = False
        skip_term = False
        for i, t in enumerate(toks):
            frame = stack[-1]
            prev = toks[i - 1] if i else None
            if t.kind == "punct" and t.text in _OPEN:
                if t.text == "{" and frame.kind == "group" and frame.room is not None and frame.count:
                    self._incomplete(frame, t)
                frame.room = None
                frame.modifiers = None if t.text == "{" and not values_pending else frame.modifiers
                if t.text == "{" and frame.kind == "data":
                    self.add(
                        t.start,
                        "unexpected `{` inside a VALUES block: its rows are written (1 2) or, for one "
                        "variable, as plain values",
                        t,
                    )
                if t.text == "{":
                    kind = "data" if values_pending else "group"
                    stack.append(_Frame(t, kind, 3 if kind == "group" else None))
                    values_pending = False
                else:
                    stack.append(_Frame(t, "paren" if t.text == "(" else "bracket"))
                continue
            if t.kind == "punct" and t.text in _CLOSE:
                if not self._close(stack, t, prev):
                    return
                continue
            if t.upper == "VALUES":
                values_pending = True
            elif values_pending and not (t.kind == "var" or t.is_("(", ")")):
                values_pending = False
            if t.upper == "SELECT":
                frame.has_select = True
            if t.upper in _NOT_IN_GROUPS and frame.kind == "group" and frame.opener is not None:
                self.add(
                    t.start,
                    f"unexpected {t.upper} inside the `{{ … }}` opened at "
                    f"{self.where(frame.opener.start)}: is a `}}` missing before it?",
                    t,
                    ["`}`"],
                )
            if t.upper == "WHERE" and frame.kind == "group" and not frame.has_select and frame.opener is not None:
                self.add(
                    t.start,
                    f"unexpected WHERE inside the `{{ … }}` group opened at "
                    f"{self.where(frame.opener.start)}: write SELECT … WHERE {{ … }}",
                    t,
                )
            if (
                frame.kind == "group"
                and not frame.has_select
                and t.upper in MODIFIERS[:-1]
                and frame.opener is not None
            ):
                name = {"GROUP": "GROUP BY", "ORDER": "ORDER BY"}.get(t.upper, t.upper)
                self.add(
                    t.start,
                    f"unexpected {name} inside a `{{ … }}` group: is a `}}` missing before it? (the "
                    f"`{{` at {self.where(frame.opener.start)} is still open here)",
                    t,
                    ["`}`"],
                )
            if frame.modifiers is not None and t.kind == "word":
                if t.upper in MODIFIERS:
                    self._modifier(frame.modifiers, t)
                elif t.upper in CLAUSE_WORDS - {"BY", "ASC", "DESC", "AS", "UNDEF", "DISTINCT", "SEPARATOR"}:
                    if frame.kind == "top" and self.operation != "update":
                        self.add(
                            t.start,
                            f"unexpected {_show(t)} after the end of the query: only GROUP BY, "
                            "HAVING, ORDER BY, LIMIT, OFFSET and VALUES may follow",
                            t,
                            [*MODIFIERS],
                        )
                    elif frame.kind == "group" and frame.has_select and frame.modifiers and frame.opener is not None:
                        self.add(
                            t.start,
                            f"expected `}}` to end the subquery opened at "
                            f"{self.where(frame.opener.start)} but found {_show(t)}",
                            t,
                            ["`}`"],
                        )
                    frame.modifiers = None
            if (
                frame.kind == "top"
                and t.is_(".", ",")
                or (frame.kind == "top" and t.is_(";") and self.operation != "update")
            ):
                self.add(t.start, f"unexpected `{t.text}` outside the `{{ … }}` of the {self.noun}", t)
            if frame.kind != "group":
                continue
            # Triple patterns: subject predicate object, "," and ";" lists, "." between them.
            if t.is_("."):
                if frame.room is not None and frame.count:
                    self._incomplete(frame, t)
                elif frame.after_dot:
                    self.add(t.start, "two `.` in a row: remove one", t, ["a triple pattern"])
                frame.room, frame.count, frame.after_dot = 3, 0, True
                continue
            frame.after_dot = False
            if t.kind == "punct" and t.text in _COMPARE:
                msg = (
                    "an IRI is written without spaces, like <http://example.org/x>"
                    if t.text == "<"
                    else "a comparison goes inside FILTER( … )"
                )
                self.add(t.start, f"unexpected `{t.text}` here: {msg}", t)
                frame.room = None
                continue
            if (t.is_(";") and frame.room == 3 and frame.count == 0) or (
                t.is_(",") and frame.count == 0 and frame.room is not None
            ):
                self.add(
                    t.start,
                    f"unexpected `{t.text}`: it comes after a predicate and object, not at the start "
                    "of a triple pattern",
                    t,
                    ["a subject"],
                )
                frame.room = None
                continue
            if t.is_(";", ","):
                if frame.room is not None and frame.count and frame.count < frame.room:
                    self._incomplete(frame, t)
                elif frame.room == 1 and frame.count == 0:
                    self.add(t.start, f"expected an object after `,` but found {_show(t)}", t, ["an object"])
                if frame.room is not None:
                    frame.room, frame.count = (2 if t.text == ";" else 1), 0
                continue
            if skip_term or t.kind == "lang":
                skip_term = False
                continue
            if t.text == "^^":
                skip_term = True
                continue
            if t.is_("+", "-") and i + 1 < len(toks) and toks[i + 1].kind == "number" and toks[i + 1].start == t.end:
                continue  # the sign of a number
            if not (t.kind in _TERMS or t.upper in ("A", "TRUE", "FALSE")):
                frame.room = None
                continue
            if frame.room is None:
                continue
            predicate = (frame.room == 3 and frame.count == 1) or (frame.room == 2 and frame.count == 0)
            if predicate and t.kind in ("string", "number", "bnode") or (predicate and t.upper in ("TRUE", "FALSE")):
                self.add(
                    t.start,
                    f"{_show(t)} cannot be a predicate: a predicate is an IRI, a prefixed name, a variable or `a`",
                    t,
                    ["a predicate"],
                )
                frame.room = None
                continue
            if t.upper == "A" and frame.room == 3 and frame.count == 0:
                self.add(
                    t.start,
                    "a triple pattern cannot start with `a` (rdf:type): the subject is missing",
                    t,
                    ["a subject"],
                )
                frame.room = None
                continue
            frame.count += 1
            if frame.count > frame.room:
                self.add(
                    t.start,
                    f"missing `.` before {_show(t)}: the triple pattern before it is complete",
                    t,
                    ["`.`", "`}`"],
                )
                frame.room = None
        if len(stack) > 1:
            opener = stack[-1].opener
            assert opener is not None
            self.add(
                len(self.text),
                f"unexpected end of {self.noun}: the `{opener.text}` at {self.where(opener.start)} is never closed",
                None,
                [f"`{_UNPAIR[opener.text]}`"],
                rank=1,
            )
        elif self.operation == "update":
            self._update_tail()

    def _close(self, stack: list[_Frame], t: Token, prev: Token | None) -> bool:
        """Handle a closing bracket; return False when it closes nothing it should."""
        frame, want = stack[-1], _PAIR[t.text]
        if frame.opener is None:
            self.add(t.start, f"unexpected {_show(t)}: there is no open `{want}` to close", t)
            return False
        if frame.opener.text != want:
            if any(f.opener is not None and f.opener.text == want for f in stack[1:]):
                self.add(
                    t.start,
                    f"expected `{_UNPAIR[frame.opener.text]}` to close the `{frame.opener.text}` at "
                    f"{self.where(frame.opener.start)} but found {_show(t)}",
                    t,
                    [f"`{_UNPAIR[frame.opener.text]}`"],
                )
            else:
                self.add(
                    t.start,
                    f"unexpected {_show(t)}: there is no open `{want}` to close (the "
                    f"`{frame.opener.text}` at {self.where(frame.opener.start)} is still open)",
                    t,
                )
            return False
        if frame.kind == "group":
            if frame.room is not None and frame.count:
                self._incomplete(frame, t)
            elif frame.room == 1 and frame.count == 0 and prev is not None and prev.is_(","):
                self.add(t.start, f"expected an object after `,` but found {_show(t)}", t, ["an object"])
        stack.pop()
        parent = stack[-1]
        if t.text == "}":
            self._after_block(t, frame, parent)
            if parent.kind == "group":
                parent.room, parent.count = 3, 0
            template = frame.opener is not None and self._keyword_before(frame.opener) == "CONSTRUCT"
            parent.modifiers = [] if frame.kind == "group" and not template else parent.modifiers
        elif parent.kind == "group":
            call = frame.opener is not None and self._keyword_before(frame.opener) in FUNCTIONS | {"BIND", "FILTER"}
            parent.room, parent.count = (3, 0) if call else (None, 0)
        return True

    def _keyword_before(self, t: Token) -> str:
        i = t.index
        return self.tokens[i - 1].upper if i else ""

    def _incomplete(self, frame: _Frame, at: Token) -> None:
        """A triple pattern ended before its object (or predicate and object)."""
        need = (frame.room or 0) - frame.count
        if need <= 0:
            return
        words = "an object" if need == 1 else "a predicate and an object"
        self.add(
            at.start,
            f"incomplete triple pattern: expected {words} before {_show(at)}",
            at,
            ["an object"] if need == 1 else ["a predicate", "an object"],
        )

    def _after_block(self, close: Token, frame: _Frame, parent: _Frame) -> None:
        """What may follow the ``}`` of a block at the top level."""
        toks = self.tokens
        if parent.kind != "top" or frame.opener is None:
            return
        i = close.index
        nxt = toks[i + 1] if i + 1 < len(toks) else None
        o = frame.opener.index
        before = toks[o - 1].upper if o > 0 else ""
        if nxt is None or (nxt.kind == "punct" and nxt.text in _CLOSE):
            return  # the end, or a closing bracket the bracket check judges
        if self.operation == "update":
            if before in ("DATA", "WHERE") and not nxt.is_(";"):
                self.add(nxt.start, f"expected `;` between update operations but found {_show(nxt)}", nxt, ["`;`"])
            elif before in ("INSERT", "DELETE") and not nxt.is_("INSERT", "WHERE", "USING"):
                self.add(
                    nxt.start,
                    f"expected WHERE {{ … }} after the {before} template but found {_show(nxt)}",
                    nxt,
                    ["WHERE"],
                    rank=2,
                )
            return
        if frame.kind == "data":
            if not nxt.is_("}"):
                self.add(nxt.start, f"unexpected {_show(nxt)} after the end of the query", nxt)
        elif (
            before != "CONSTRUCT"
            and not (nxt.kind == "word" and nxt.upper in MODIFIERS)
            and not (nxt.kind == "word" and nxt.upper not in KEYWORDS)
        ):
            self.add(
                nxt.start,
                f"unexpected {_show(nxt)} after the end of the query: only GROUP BY, HAVING, "
                "ORDER BY, LIMIT, OFFSET and VALUES may follow",
                nxt,
                [*MODIFIERS],
            )

    def _update_tail(self) -> None:
        """An INSERT/DELETE template with no WHERE after it."""
        toks = self.tokens
        last = toks[-1]
        if not last.is_("}"):
            return
        depth = 0
        for j in range(len(toks) - 1, -1, -1):
            t = toks[j]
            if t.kind == "punct" and t.text in _CLOSE:
                depth += 1
            elif t.kind == "punct" and t.text in _OPEN:
                depth -= 1
                if depth == 0:
                    kw = toks[j - 1].upper if j else ""
                    if kw in ("INSERT", "DELETE"):
                        self.add(
                            len(self.text),
                            f"unexpected end of update: {kw} {{ … }} needs WHERE {{ … }} after "
                            f"it (or write {kw} DATA {{ … }} for fixed triples)",
                            None,
                            ["WHERE"],
                        )
                    return

    def _modifier(self, seen: list[Token], t: Token) -> None:
        names = {"GROUP": "GROUP BY", "ORDER": "ORDER BY"}
        order = {"GROUP": 0, "HAVING": 1, "ORDER": 2, "LIMIT": 3, "OFFSET": 3, "VALUES": 4}
        for s in seen:
            if s.upper == t.upper:
                self.add(t.start, f"{names.get(t.upper, t.upper)} is given twice", t)
                break
            if order[s.upper] > order[t.upper]:
                self.add(
                    t.start,
                    f"{names.get(t.upper, t.upper)} must come before {names.get(s.upper, s.upper)}; "
                    "the order is GROUP BY, HAVING, ORDER BY, LIMIT/OFFSET, VALUES",
                    t,
                )
                break
        seen.append(t)

    # --- mistakes the parser finds only after reading a whole clause

    def check_semantics(self, said: str) -> None:
        """Scope and grouping mistakes; with ``said`` empty, every one is looked for."""
        every = not said
        if every or "VALUES" in said:
            self.check_values()
        if every or "BIND" in said:
            self.check_bind()
        if every or "SELECT" in said or "unbound" in said:
            self.check_select(said)
        if every or "aggregate" in said or "unbound" in said:
            self.check_aggregates()
        if every or "DATA" in said or "DELETE WHERE" in said:
            self.check_data_blocks()

    def check_values(self) -> None:
        toks = self.tokens
        for i, t in enumerate(toks[:-1]):
            if t.upper != "VALUES":
                continue
            if toks[i + 1].is_("("):
                inner = self.group(i + 1)
                names = [toks[k] for k in inner if toks[k].kind == "var"]
                block = i + len(inner) + 3
                listed = True
            else:
                names = [toks[i + 1]] if toks[i + 1].kind == "var" else []
                block = i + 2
                listed = False
            seen: set[str] = set()
            for v in names:
                if v.text[1:] in seen:
                    self.add(v.start, f"variable `?{v.text[1:]}` is listed twice in VALUES", v)
                    return
                seen.add(v.text[1:])
            if not listed or block >= len(toks) or not toks[block].is_("{"):
                continue
            body = self.group(block)
            j = 0
            while j < len(body):
                row = toks[body[j]]
                if not row.is_("("):
                    j += 1
                    continue
                inner = self.group(body[j])
                # a typed literal's datatype IRI (after ^^) is part of its value, not one more
                values = sum(
                    1
                    for k in inner
                    if (toks[k].kind in _TERMS or toks[k].upper in ("UNDEF", "TRUE", "FALSE"))
                    and not toks[k - 1].is_("^^")
                )
                if values != len(names):

                    def s(n: int) -> str:
                        return "" if n == 1 else "s"

                    self.add(
                        row.start,
                        f"this VALUES row has {values} value{s(values)} for {len(names)} "
                        f"variable{s(len(names))}; write UNDEF for a missing value",
                        row,
                    )
                    return
                j += len(inner) + 2

    def check_bind(self) -> None:
        """BIND( … AS ?x) after the group already binds ?x (one pass over the text).

        A group binds the variables of its own triple patterns and blank-node lists, those of
        the OPTIONAL, UNION and GRAPH groups inside it, and earlier BIND targets; not those in
        FILTER expressions, MINUS, EXISTS or a subquery, which stay out of its scope.
        """
        toks = self.tokens
        # Per open bracket: its text, the names it binds ("{" only), whether they also count
        # for the enclosing group, and whether it is a BIND's parenthesis.
        frames: list[tuple[str, set[str], bool, bool]] = []
        for i, t in enumerate(toks):
            before = toks[i - 1] if i else None
            if t.kind == "punct" and t.text in _OPEN:
                if t.text == "{":
                    up = not (before is not None and before.upper in ("MINUS", "EXISTS")) and not (
                        i + 1 < len(toks) and toks[i + 1].upper == "SELECT"
                    )
                    frames.append(("{", set(), up, False))
                else:
                    bind = (
                        t.text == "("
                        and before is not None
                        and before.upper == "BIND"
                        and bool(frames)
                        and frames[-1][0] == "{"
                    )
                    frames.append((t.text, set(), False, bind))
                continue
            if t.kind == "punct" and t.text in _CLOSE:
                if frames:
                    frames.pop()
                continue
            if t.kind != "var" or not frames:
                continue
            name = t.text[1:]
            if frames[-1][3] and before is not None and before.upper == "AS":
                if name in frames[-2][1]:
                    self.add(
                        t.start,
                        f"BIND assigns `?{name}`, which the group already binds before it; use a new variable name",
                        t,
                    )
                    return
                self._binds(frames[:-1], name)
            elif "(" not in (f[0] for f in frames[-2:]) and frames[-1][0] in "{[":
                self._binds(frames, name)

    @staticmethod
    def _binds(frames: list[tuple[str, set[str], bool, bool]], name: str) -> None:
        """Record that the innermost group binds ``name``, and the groups it counts for."""
        for kind, names, up, _ in reversed(frames):
            if kind == "(":
                return
            if kind == "{":
                names.add(name)
                if not up:
                    return

    def _selects(self) -> list[tuple[list[int], list[int], int]]:
        """Each SELECT: its clause tokens, its GROUP BY tokens, the index of its WHERE ``{``."""
        toks = self.tokens
        out = []
        for i, t in enumerate(toks):
            if t.upper != "SELECT":
                continue
            clause: list[int] = []
            j = i + 1
            while j < len(toks) and not toks[j].is_("WHERE", "{", "FROM"):
                clause.append(j)
                j += 1
            while j < len(toks) and not toks[j].is_("{"):
                j += 1
            if j >= len(toks):
                continue
            k = j + len(self.group(j)) + 2
            grouped: list[int] = []
            if k + 1 < len(toks) and toks[k].upper == "GROUP" and toks[k + 1].upper == "BY":
                k += 2
                while k < len(toks) and toks[k].upper not in MODIFIERS and not toks[k].is_("}"):
                    grouped.append(k)
                    k += 1
            out.append((clause, grouped, j))
        return out

    def check_select(self, said: str) -> None:
        toks = self.tokens
        for clause, grouped, where in self._selects():
            plain: list[Token] = []  # ?x
            named: list[Token] = []  # the ?x of (... AS ?x)
            used: list[Token] = []  # a ?x inside an expression, outside any aggregate
            parens: list[bool] = []  # for each open "(": is it an aggregate's?
            aggregate = False
            for k in clause:
                t = toks[k]
                if t.is_("("):
                    parens.append(toks[k - 1].upper in AGGREGATES or (bool(parens) and parens[-1]))
                elif t.is_(")"):
                    if parens:
                        parens.pop()
                elif t.upper in AGGREGATES:
                    aggregate = True
                elif t.kind == "var" and toks[k - 1].upper == "AS":
                    named.append(t)
                elif t.kind == "var" and not parens:
                    plain.append(t)
                elif t.kind == "var" and not parens[-1]:
                    used.append(t)
            seen: set[str] = set()
            for v in sorted(plain + named, key=lambda v: v.start):
                if v.text[1:] in seen:
                    self.add(v.start, f"variable `?{v.text[1:]}` appears twice in SELECT", v)
                    return
                seen.add(v.text[1:])
            star = next(
                (
                    toks[k]
                    for k in clause
                    if toks[k].is_("*") and toks[k - 1].upper in ("SELECT", "DISTINCT", "REDUCED")
                ),
                None,
            )
            if grouped and star is not None:
                self.add(
                    star.start,
                    "SELECT * cannot be used with GROUP BY; list the grouped variables and aggregates instead",
                    star,
                )
                return
            keys = {toks[k].text[1:] for k in grouped if toks[k].kind == "var"}
            if grouped or aggregate:
                for v in sorted(plain + used, key=lambda v: v.start):
                    if v.text[1:] not in keys:
                        how = "add it to GROUP BY" if grouped else "add GROUP BY " + v.text
                        what = "is selected" if v in plain else "is used in a SELECT expression"
                        self.add(
                            v.start,
                            f"`{v.text}` {what} but neither grouped nor aggregated: {how}, or "
                            f"wrap it in an aggregate such as SAMPLE({v.text})",
                            v,
                        )
                        return
            if "overrides" in said:
                body = {toks[k].text[1:] for k in self.group(where) if toks[k].kind == "var"}
                for v in named:
                    if v.text[1:] in body:
                        self.add(
                            v.start,
                            f"`AS {v.text}` in SELECT names a variable the WHERE clause already "
                            "binds; choose a new name",
                            v,
                        )
                        return

    def check_aggregates(self) -> None:
        """COUNT, SUM, ... inside a graph pattern (FILTER, BIND) instead of SELECT/HAVING/ORDER BY."""
        toks = self.tokens
        stack = [_Frame(None, "top")]
        clause: list[str] = [""]
        for i, t in enumerate(toks):
            if t.kind == "punct" and t.text in _OPEN:
                stack.append(_Frame(t, "group" if t.text == "{" else "paren"))
                clause.append(clause[-1] if t.text != "{" else "")
                continue
            if t.kind == "punct" and t.text in _CLOSE and len(stack) > 1:
                stack.pop()
                clause.pop()
                continue
            if t.kind == "word" and t.upper in CLAUSE_WORDS and stack[-1].kind != "paren":
                clause[-1] = t.upper
            if t.upper in AGGREGATES and i + 1 < len(toks) and toks[i + 1].is_("("):
                inside_group = any(f.kind == "group" for f in stack)
                if inside_group and clause[-1] not in (
                    "SELECT",
                    "DISTINCT",
                    "REDUCED",
                    "HAVING",
                    "ORDER",
                    "BY",
                    "ASC",
                    "DESC",
                ):
                    self.add(
                        t.start,
                        f"aggregate {t.upper} used inside a graph pattern; aggregates belong in "
                        "SELECT, HAVING or ORDER BY",
                        t,
                    )
                    return

    def check_data_blocks(self) -> None:
        toks = self.tokens
        for i, t in enumerate(toks[:-2]):
            if (
                t.upper not in ("INSERT", "DELETE")
                or toks[i + 1].upper not in ("DATA", "WHERE")
                or not toks[i + 2].is_("{")
            ):
                continue
            form = f"{t.upper} {toks[i + 1].upper}"
            for k in self.group(i + 2):
                s = toks[k]
                if s.kind == "var" and form.endswith("DATA"):
                    self.add(
                        s.start,
                        f"variables are not allowed in {form}; use {t.upper} {{ … }} WHERE {{ … }} "
                        "to work on what a pattern matches",
                        s,
                    )
                    return
                if s.kind == "bnode" and t.upper == "DELETE":
                    fix = "name the node by its IRI" if form.endswith("DATA") else "use a variable instead"
                    self.add(s.start, f"blank nodes are not allowed in {form}; {fix}", s)
                    return


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


# The parser's sentences that no check places, in our words.
_SENTENCES = [
    (
        "escape sequence should be followed by hexadecimal digits",
        "`\\u` must be followed by four hexadecimal digits, `\\U` by eight",
    ),
    (
        "IRIs are only allowed to contain escape sequences",
        "an IRI may only contain the escapes \\uXXXX and \\UXXXXXXXX",
    ),
    ("IRIs are not allowed to end with", "an IRI cannot end with `\\`"),
    ("strings are not allowed to end with", "a string cannot end with a lone `\\`"),
    (
        "The character that can be escaped in strings",
        "invalid escape in a string; the escapes are \\t \\b \\n \\r \\f \\\" \\' \\\\ and \\uXXXX",
    ),
    ("language tag parsing failed", "invalid language tag; write it like @en or @en-GB"),
    ("base directions", "the direction of a language tag is --ltr or --rtl"),
    (
        "Variables are not allowed in INSERT DATA",
        "variables are not allowed in INSERT DATA; use INSERT { … } WHERE { … }",
    ),
    (
        "Variables and blank nodes are not allowed in DELETE DATA",
        "variables and blank nodes are not allowed in DELETE DATA; use DELETE { … } WHERE { … }",
    ),
    ("Blank nodes are not allowed in DELETE WHERE", "blank nodes are not allowed in DELETE WHERE; use a variable"),
    (
        "VALUES clause rows should have exactly",
        "a VALUES row must have one value per variable; write UNDEF for a missing value",
    ),
    ("Repeated variables are not allowed in VALUES", "a variable is listed twice in VALUES"),
    ("BIND is overriding an existing variable", "BIND assigns a variable the group already binds; use a new name"),
    ("overridden in the right side of LATERAL", "the right side of LATERAL assigns a variable the left side binds"),
    (
        "Unexpected aggregate",
        "an aggregate (COUNT, SUM, …) is used where none is allowed; aggregates belong in SELECT, HAVING or ORDER BY",
    ),
    (
        "The SELECT contains an expression with a variable that is unbound",
        "an expression in SELECT uses a variable that is neither grouped nor aggregated",
    ),
    (
        "The SELECT contains a variable that is unbound",
        "a selected variable is neither grouped nor aggregated; add it to GROUP BY or wrap it in an aggregate such as SAMPLE",
    ),
    ("Duplicated variable name in SELECT", "a variable appears twice in SELECT"),
    (
        "The SELECT overrides an existing variable",
        "an `AS ?name` in SELECT names a variable the WHERE clause already binds; choose a new name",
    ),
    (
        "SELECT * is not authorized with GROUP BY",
        "SELECT * cannot be used with GROUP BY; list the grouped variables and aggregates instead",
    ),
    ("query limit should be", "LIMIT takes a whole number of a sensible size"),
    ("query offset should be", "OFFSET takes a whole number of a sensible size"),
    (
        "Already used blank node id",
        "a blank node label is used in two different blocks; give each block its own labels",
    ),
    (
        "not allowed in subject position of nested patterns",
        "a literal or a triple term cannot be the subject of a nested pattern",
    ),
    ("custom function is an aggregate", "this function is an aggregate and cannot be called here"),
    ("custom function is a regular function", "this function is not an aggregate"),
    ("Reifiers are not allowed on property paths", "a reifier cannot follow a property path"),
]


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


def _from_sentences(an: _Analysis, parsed: _Parsed, offset: int) -> Finding | None:
    """Our words for the parser's own sentence, on the spot a check finds for it."""
    said = " ".join(parsed.sentences)
    if not said:
        return None
    if "Prefix not found" in said:
        hits = [f for f in an.findings if f.offset <= offset and f.message.startswith("unknown prefix")]
        if hits:
            return min(hits, key=lambda f: f.offset)
    if "IRI" in said or "escape sequence" in said:
        iris = [t for t in an.tokens if t.kind in ("iri", "bad-iri") and t.start < offset]
        if iris:
            t = iris[-1]
            return Finding(t.start, f"invalid IRI {_show(t)}: {_iri_problem(t.text)}", t, ("an IRI",))
    for word in ("limit", "offset"):
        if f"query {word} should be" in said:
            toks = an.tokens
            numbers = [
                toks[i + 1]
                for i in range(len(toks) - 1)
                if toks[i].upper == word.upper() and toks[i + 1].kind == "number" and toks[i + 1].start < offset
            ]
            if numbers:
                return Finding(
                    numbers[-1].start,
                    f"{word.upper()} {_show(numbers[-1])} is too large",
                    numbers[-1],
                    ("a smaller whole number",),
                )
    before = len(an.findings)
    an.check_semantics(said)
    if len(an.findings) > before:
        return min(an.findings[before:], key=lambda f: f.offset)
    for phrase, words in _SENTENCES:
        if phrase in said:
            return Finding(offset, words, an.token_at(offset))
    return None


def _fallback(an: _Analysis, parsed: _Parsed, offset: int) -> Finding:
    """The parser's place, what is found there and what may come there."""
    i = an.index_at(offset)
    found = an.tokens[i] if i < len(an.tokens) else None
    want = an.expectation(i)
    if want is not None and found is not None and want[2](found):
        want = None  # what is there fits the keyword before it: the parser's list says more
    expected = [want[0]] if want else _describe(parsed.expected)
    if found is None:
        last = an.tokens[-1]
        what = f"unexpected end of {an.noun} after {_show(last)}"
        if expected:
            what += "; expected " + _join(expected)
        elif parsed.sentences:
            what += f" ({parsed.sentences[0].rstrip('.')})"
        return Finding(len(an.text), what, None, tuple(expected))
    at = found.start
    if expected:
        return Finding(at, f"expected {_join(expected)} but found {_show(found)}", found, tuple(expected))
    return Finding(at, f"unexpected {_show(found)}", found)


def syntax_error(
    text: str, exc: SyntaxError, *, operation: str | None = None, base_iri: str | None = None
) -> QuerySyntaxError:
    """Return a readable :class:`QuerySyntaxError` for SPARQL text the parser refused.

    Args:
        text: the query or update text that was given to the parser.
        exc: the parser's ``SyntaxError``; only ``str(exc)`` (or ``exc.msg``),
            ``exc.lineno`` and ``exc.offset`` are read.
        operation: ``"query"`` or ``"update"``; guessed from the text when not given.
        base_iri: the base IRI the parser was given, if any (relative IRIs are then fine).

    Returns:
        The error: its message is one line, ``line N, column M: what is wrong``; its
        ``line``, ``column`` (1-based, code points), ``found``, ``expected``, ``pointer``
        and ``detail`` (the parser's message, unchanged) are set.
    """
    raw = str(exc.msg if getattr(exc, "msg", None) else exc)
    an = _Analysis(text, operation, base_iri)
    if not an.tokens:
        what = "empty" if not text.strip() else "nothing but comments"
        msg = f"the {an.noun} is {what}" if what == "empty" else f"the {an.noun} has {what}"
        msg += (
            "; expected SELECT, ASK, CONSTRUCT or DESCRIBE"
            if an.noun == "query"
            else "; expected INSERT, DELETE, LOAD, CLEAR, CREATE, DROP, COPY, MOVE or ADD"
        )
        return _error(text, len(text), msg, None, (), raw)
    parsed = _parse_message(text, raw, exc)
    offset = len(text) if parsed.offset is None else parsed.offset
    an.run()
    at_end = offset >= an.tokens[-1].end
    finding = _from_sentences(an, parsed, offset)
    if finding is None:
        near = [f for f in an.findings if f.offset <= offset or at_end]
        if not near:
            # Scope and grouping mistakes: Oxigraph notices them when the clause ends.
            an.check_semantics("")
            near = [f for f in an.findings if f.offset <= offset or at_end]
        if near:
            finding = min(near, key=lambda f: (f.offset, f.rank))
        elif parsed.offset is None:
            # No position from the parser and no check found the spot: keep its words.
            first = raw.strip().splitlines()[0] if raw.strip() else f"the {an.noun} does not parse"
            return QuerySyntaxError(first, detail=raw)
        else:
            finding = _fallback(an, parsed, offset)
    return _error(text, finding.offset, finding.message, finding.found, finding.expected, raw)


def _error(
    text: str, offset: int, message: str, found: Token | None, expected: Sequence[str], raw: str
) -> QuerySyntaxError:
    line, column = line_column(text, offset)
    return QuerySyntaxError(
        f"line {line}, column {column}: {message}",
        line=line,
        column=column,
        found=found.text if found is not None else None,
        expected=tuple(expected),
        pointer=pointer(text, line, column),
        detail=raw,
    )


_OURS = re.compile(r"^line (\d+), column (\d+): ")


def server_error(text: str, body: str, *, operation: str) -> QuerySyntaxError:
    """Return the error for a SPARQL server's 400 answer to ``text``.

    An Oxigraph server answers with its parser's message (``error at L:C: ...``), made
    readable here as for a local store; an aikg server already answers readably (its
    first line; the ``detail:`` line is the parser's); any other server's words are kept.
    """
    body = body.strip()
    if _POSITION.match(body):
        return syntax_error(text, SyntaxError(body), operation=operation)
    first, _, rest = body.partition("\n")
    m = _OURS.match(first)
    if m:
        line, column = int(m.group(1)), int(m.group(2))
        detail = (
            rest.split("\ndetail: ", 1)[1]
            if "\ndetail: " in rest
            else (rest[len("detail: ") :] if rest.startswith("detail: ") else None)
        )
        return QuerySyntaxError(first, line=line, column=column, pointer=pointer(text, line, column), detail=detail)
    return QuerySyntaxError(" ".join(body[:2000].split()) or "the server rejected the request", detail=body or None)
