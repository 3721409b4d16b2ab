"""Checks on expressions: operators, arguments, function arity, SELECT expressions."""

from __future__ import annotations

from kg.sparql_errors.scan import _Scan
from kg.sparql_errors.tokens import _CLOSE, _COMPARE, _OPEN, _TERMS, ARITY, CLAUSE_WORDS, FUNCTIONS, _show


class _ExpressionChecks(_Scan):
    """Expressions: operators, arguments, function arity, SELECT expressions."""

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
