"""Checks on structure: brackets, triple patterns, solution modifiers, blocks."""

from __future__ import annotations

from kg.sparql_errors.scan import _Frame, _Scan
from kg.sparql_errors.tokens import (
    _CLOSE,
    _COMPARE,
    _NOT_IN_GROUPS,
    _OPEN,
    _PAIR,
    _TERMS,
    _UNPAIR,
    CLAUSE_WORDS,
    FUNCTIONS,
    KEYWORDS,
    MODIFIERS,
    Token,
    _show,
)


class _StructureChecks(_Scan):
    """Brackets, triple patterns, solution modifiers and what follows a closed block."""

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
