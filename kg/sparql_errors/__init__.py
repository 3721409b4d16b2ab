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

The package: :mod:`.tokens` (words, tokenizer, positions, pointer), :mod:`.expected`
(reading the parser's message), :mod:`.sentences` (the parser's sentences in our words),
:mod:`.scan` and the ``checks_*`` modules (one family of checks each), :mod:`.explain`
(:func:`syntax_error` and :func:`server_error`: which finding wins).
"""

from kg.sparql_errors.explain import _Analysis as _Analysis
from kg.sparql_errors.explain import server_error as server_error
from kg.sparql_errors.explain import syntax_error as syntax_error
from kg.sparql_errors.scan import Finding as Finding
from kg.sparql_errors.tokens import Token as Token
from kg.sparql_errors.tokens import line_column as line_column
from kg.sparql_errors.tokens import pointer as pointer
from kg.sparql_errors.tokens import tokenize as tokenize

__all__ = ["syntax_error", "server_error", "pointer", "line_column", "tokenize"]
