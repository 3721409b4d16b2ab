"""What every check shares: the findings, the token scan of one text, what a keyword wants next."""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from kg.sparql_errors.tokens import _CLOSE, _OPEN, FUNCTIONS, PROLOGUE, UPDATE_OPERATIONS, Token, line_column, tokenize

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


class _Scan:
    """One query text read for the checks: its tokens, prefixes and the findings so far."""

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
