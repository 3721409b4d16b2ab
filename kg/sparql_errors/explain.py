"""From the parser's error to ours: run the checks, pick the finding, build the QuerySyntaxError."""

from __future__ import annotations

import re
from collections.abc import Sequence

from kg.errors import QuerySyntaxError
from kg.sparql_errors.checks_expressions import _ExpressionChecks
from kg.sparql_errors.checks_semantics import _SemanticChecks
from kg.sparql_errors.checks_structure import _StructureChecks
from kg.sparql_errors.checks_text import _TextChecks
from kg.sparql_errors.expected import _POSITION, _describe, _parse_message, _Parsed
from kg.sparql_errors.scan import Finding
from kg.sparql_errors.sentences import _SENTENCES
from kg.sparql_errors.tokens import Token, _iri_problem, _join, _show, line_column, pointer


class _Analysis(_TextChecks, _ExpressionChecks, _StructureChecks, _SemanticChecks):
    """The checks on one query text; see :func:`syntax_error`."""

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
