"""The parser's own sentences that no check places, and our words for each.

To explain one more: add a ``(phrase in Oxigraph's message, our words)`` pair below.
The first pair whose phrase is in the message wins, so put a longer phrase before a
shorter one it contains.
"""

from __future__ import annotations

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
