"""Checks on scope and grouping: VALUES, BIND, SELECT and aggregates, data blocks."""

from __future__ import annotations

from kg.sparql_errors.scan import _Frame, _Scan
from kg.sparql_errors.tokens import _CLOSE, _OPEN, _TERMS, AGGREGATES, CLAUSE_WORDS, MODIFIERS, Token


class _SemanticChecks(_Scan):
    """Mistakes the parser finds only after reading a whole clause: scope and grouping."""

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
