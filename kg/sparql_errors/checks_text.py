"""Checks on the shape of the text: the query form, lexical mistakes, prefixes and keywords."""

from __future__ import annotations

import re

from kg.sparql_errors.scan import _Scan
from kg.sparql_errors.tokens import (
    _BAD_ESCAPE,
    _CLOSE,
    _COMPARE,
    _OPEN,
    _SCHEME,
    AGGREGATES,
    BEFORE_PAREN,
    FUNCTIONS,
    KEYWORDS,
    PROLOGUE,
    QUERY_FORMS,
    UPDATE_OPERATIONS,
    Token,
    _iri_problem,
    _show,
)


class _TextChecks(_Scan):
    """The shape of the text: query form, lexical mistakes, prefixes, keywords, what follows them."""

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
