"""Readable SPARQL syntax errors (kg/sparql_errors/), through a real on-disk LocalStore.

Each family of mistake is checked for what a person reads: the line and column, the words,
what was found there, the caret under it, and the parser's own message kept in ``detail``.
The property test at the end mutates every shipped query into broken ones and checks each
refusal has a position inside the text and none of the parser's raw noise.
"""

from __future__ import annotations

import pickle
import re
import time
import unicodedata
from pathlib import Path

import pyoxigraph as ox
import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from kg.errors import QuerySyntaxError
from kg.queries import list_queries
from kg.sparql_errors import line_column, syntax_error
from kg.store import LocalStore

REPO = Path(__file__).resolve().parents[2]
NOISE = ("..=", "['", "[_]", "\\u{")


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory):
    with LocalStore(tmp_path_factory.mktemp("sparql-errors") / "store") as s:
        yield s


def refused(store: LocalStore, text: str, *, update: bool = False) -> QuerySyntaxError:
    with pytest.raises(QuerySyntaxError) as info:
        (store.update if update else store.query)(text)
    return info.value


def parser_message(text: str, *, update: bool = False) -> str:
    """The message pyoxigraph itself gives for the text."""
    with pytest.raises(SyntaxError) as info:
        (ox.Store().update if update else ox.Store().query)(text)
    return str(info.value)


def at(text: str, line: int, column: int) -> str:
    """The text from a 1-based line and column (columns in characters)."""
    return text.split("\n")[line - 1][column - 1 :]


def check_readable(err: QuerySyntaxError, text: str) -> None:
    """What every parse error must be: one line, located inside the text, no raw noise."""
    message = str(err)
    assert "\n" not in message
    assert err.line is not None and err.column is not None
    assert message.startswith(f"line {err.line}, column {err.column}: ")
    lines = text.split("\n")
    assert 1 <= err.line <= len(lines)
    assert 1 <= err.column <= len(lines[err.line - 1]) + 1
    assert not any(n in message for n in NOISE), message
    shown, caret = err.pointer.split("\n")
    assert caret.endswith("^") and caret.strip(" \t") == "^"


# (text, line, column, words the message must contain, the text found there or None at the end)
QUERIES = [
    ("SELECT ?x WHERE { ?x foo:bar ?y }", 1, 22, "unknown prefix `foo:`; declare it with PREFIX foo: <…>", "foo:bar"),
    (
        "SELEC * WHERE { ?s ?p ?o }",
        1,
        1,
        "expected SELECT, ASK, CONSTRUCT or DESCRIBE (or PREFIX/BASE) but found `SELEC`",
        "SELEC",
    ),
    ("SELEC", 1, 1, "expected SELECT, ASK, CONSTRUCT or DESCRIBE (or PREFIX/BASE) but found `SELEC`", "SELEC"),
    (
        "PREFIX ex: <http://e/>\nSELECT * WHERE {\n  ?s ex:p ?o .\n",
        4,
        1,
        "unexpected end of query: the `{` at line 2, column 16 is never closed",
        None,
    ),
    ("SELECT * WHERE { ?s ?p ?o ?a ?b ?c }", 1, 27, "missing `.` before `?a`", "?a"),
    ("SELECT * WHERE { ?s ?p ?o FILTER(foo(?o)) }", 1, 34, "unknown function `foo`", "foo"),
    (
        "SELECT * WHERE { ?s ?p ?o FILTER(strlenn(?o) > 2) }",
        1,
        34,
        "unknown function `strlenn` (did you mean STRLEN?)",
        "strlenn",
    ),
    (
        "SELECT * WHERE { ?s <http://a b> ?o }",
        1,
        21,
        "invalid IRI `<http://a b>`: an IRI cannot contain spaces",
        "<http://a b>",
    ),
    ("SELECT * WHERE { ?s <rel> ?o }", 1, 21, "invalid IRI `<rel>`: it is relative", "<rel>"),
    (
        "SELECT ?s ?p WHERE { ?s ?p ?o } GROUP BY ?s",
        1,
        11,
        "`?p` is selected but neither grouped nor aggregated: add it to GROUP BY",
        "?p",
    ),
    ("SELECT (SUM(?o) AS ?t) ?s WHERE { ?s ?p ?o }", 1, 24, "`?s` is selected but neither grouped", "?s"),
    (
        "SELECT (STR(?p) AS ?q) WHERE { ?s ?p ?o } GROUP BY ?s",
        1,
        13,
        "`?p` is used in a SELECT expression but neither grouped nor aggregated",
        "?p",
    ),
    ("SELECT * WHERE { ?s ?p ?o } GROUP BY ?s", 1, 8, "SELECT * cannot be used with GROUP BY", "*"),
    ("SELECT (1 AS ?x) (2 AS ?x) {}", 1, 24, "variable `?x` appears twice in SELECT", "?x"),
    ('SELECT * WHERE { ?s ?p "abc }', 1, 24, 'unterminated string: this " has no closing "', '"abc }'),
    (
        "SELECT * WHERE { ?s ?p ?o FILTER(STRLEN(?o) > 3 }",
        1,
        49,
        "expected `)` to close the `(` at line 1, column 33 but found `}`",
        "}",
    ),
    ("SELECT * WHERE { ?s ?p ?o } }", 1, 29, "unexpected `}`: there is no open `{` to close", "}"),
    ("SELECT * WHERE { ?s ?p ?o } ORDER ?s", 1, 35, "expected BY after ORDER but found `?s`", "?s"),
    ("SELECT * WHERE { ?s ?p ?o } LIMIT x", 1, 35, "expected a whole number after LIMIT but found `x`", "x"),
    ("SELECT * WHERE { ?s ?p ?o } LIMIT", 1, 34, "unexpected end of query; expected a whole number after LIMIT", None),
    (
        "SELECT * WHERE { ?s ?p ?o } ORDER BY ?o LIMIT 10 GROUP BY ?s",
        1,
        50,
        "GROUP BY must come before ORDER BY",
        "GROUP",
    ),
    ("SELECT * WHERE { ?s ?p ?o } LIMIT 10 LIMIT 5", 1, 38, "LIMIT is given twice", "LIMIT"),
    (
        "SELECT * WHERE { ?s ?p ?o } LIMIT 99999999999999999999999",
        1,
        35,
        "LIMIT `99999999999999999999999` is too large",
        "99999999999999999999999",
    ),
    ("SELECT * { ?s ?p ?o BIND(1 AS ?o) }", 1, 31, "BIND assigns `?o`, which the group already binds", "?o"),
    ("SELECT (COUNT(?o) ?n) WHERE { ?s ?p ?o }", 1, 19, "expected AS before `?n`", "?n"),
    ("SELECT * WHERE { ?s ?p ?o FILTER(CONTAINS(?o)) }", 1, 34, "CONTAINS takes 2 arguments, not 1", "CONTAINS"),
    ("SELECT * WHERE { ?s ?p ?o FILTER(NOW(1)) }", 1, 34, "NOW takes no arguments, not 1", "NOW"),
    ("SELECT * { ?s ?p ?o FILTER(?o > ) }", 1, 33, "expected an expression after `>` but found `)`", ")"),
    ('SELECT * WHERE { ?s ?p ?o FILTER(regex(?o, "a", )) }', 1, 49, "expected an argument after `,`", ")"),
    ("SELECT * WHERE { ?s ?p }", 1, 24, "incomplete triple pattern: expected an object before `}`", "}"),
    ("SELECT * WHERE { OPTIONAL ?s ?p ?o }", 1, 27, "expected `{` after OPTIONAL but found `?s`", "?s"),
    ("SELECT * { ?s ?p ?o FILTER ?o > 1 }", 1, 28, "expected `(` or a function call after FILTER", "?o"),
    ("SELECT WHERE { ?s ?p ?o }", 1, 8, "expected `*`, a variable or `(expression AS ?name)` after SELECT", "WHERE"),
    ("PREFIX ex <http://e/> SELECT * {}", 1, 8, "PREFIX needs a name ending in `:` (like `ex:`) but found `ex`", "ex"),
    ("PREFIX ex: http://e/ SELECT * {}", 1, 12, "PREFIX ex: needs an IRI in angle brackets", "http:"),
    (
        "SELECT * WHERE { ?s ?p\u00a0?o }",
        1,
        23,
        "unexpected the character U+00A0 (NO-BREAK SPACE); replace it with a plain space",
        "\u00a0",
    ),
    ('SELECT * WHERE { ?s ?p "\\q" }', 1, 25, "invalid escape `\\q` in a string", "\\q"),
    ('SELECT * WHERE { ?s ?p "x"@123 }', 1, 27, "invalid language tag `@123`", "@123"),
    ("SELECT * WHERE { VALUES (?a ?b) { (1) } }", 1, 35, "this VALUES row has 1 value for 2 variables", "("),
    ("SELECT * WHERE { VALUES (?a ?a) { (1 2) } }", 1, 29, "variable `?a` is listed twice in VALUES", "?a"),
    (
        "SELECT ?x WHERE { ?x ?p ?o . FILTER(COUNT(?o) > 1) }",
        1,
        37,
        "aggregate COUNT used inside a graph pattern",
        "COUNT",
    ),
    ("ASK { ?s ?p ?o } ?x", 1, 18, "unexpected `?x` after the end of the query", "?x"),
    ("SELECT * WHERE { ?s ?p ?o . . }", 1, 29, "two `.` in a row", "."),
    (
        "SELECT * WHERE { ?s ?p ?o OPTIONL { ?a ?b ?c } }",
        1,
        27,
        "unknown keyword `OPTIONL` (did you mean OPTIONAL?)",
        "OPTIONL",
    ),
    ("SELECT * WHERE { ?s foo ?o }", 1, 21, "unexpected word `foo`: not a SPARQL keyword", "foo"),
    ("INSERT DATA { <http://a> <http://b> 1 }", 1, 1, "but found `INSERT` (an update, not a query)", "INSERT"),
    ("", 1, 1, "the query is empty; expected SELECT, ASK, CONSTRUCT or DESCRIBE", None),
    ("# only a comment", 1, 17, "the query has nothing but comments", None),
]

UPDATES = [
    (
        "INSRT DATA { <http://a> <http://b> 1 }",
        1,
        1,
        "expected INSERT, DELETE, LOAD, CLEAR, CREATE, DROP, COPY, MOVE, ADD or WITH (or PREFIX/BASE) but found "
        "`INSRT` (did you mean INSERT?)",
        "INSRT",
    ),
    ("INSERT DATA { <http://a> <http://b> ?c }", 1, 37, "variables are not allowed in INSERT DATA", "?c"),
    ("DELETE DATA { _:a <http://b> 1 }", 1, 15, "blank nodes are not allowed in DELETE DATA", "_:a"),
    (
        "INSERT DATA { <http://a> <http://b> 1 } DELETE DATA { <http://a> <http://b> 1 }",
        1,
        41,
        "expected `;` between update operations but found `DELETE`",
        "DELETE",
    ),
    (
        "INSERT DATA { <http://a> <http://b> 1 } ;\nDELET DATA { <http://a> <http://b> 1 }",
        2,
        1,
        "but found `DELET` (did you mean DELETE?)",
        "DELET",
    ),
    ("INSERT { ?s ?p ?o }", 1, 20, "INSERT { … } needs WHERE { … } after it", None),
    ("DELETE { ?s ?p ?o } WHER { ?s ?p ?o }", 1, 21, "unknown keyword `WHER` (did you mean WHERE?)", "WHER"),
    ("INSERT DATA { <http://a> foo:b 1 }", 1, 26, "unknown prefix `foo:`", "foo:b"),
    ("CLEAR", 1, 6, "unexpected end of update; expected GRAPH, DEFAULT, NAMED or ALL after CLEAR", None),
    ("SELECT * {}", 1, 1, "but found `SELECT` (a query, not an update)", "SELECT"),
]


def _check_case(
    err: QuerySyntaxError, text: str, line: int, column: int, words: str, found: str | None, raw: str
) -> None:
    check_readable(err, text)
    assert (err.line, err.column) == (line, column), str(err)
    assert words in str(err)
    assert err.found == found
    if found is not None:
        assert at(text, line, column).startswith(found)
    assert err.detail == raw  # the parser's message, unchanged


@pytest.mark.parametrize("text,line,column,words,found", QUERIES, ids=[q[0][:40] or "empty" for q in QUERIES])
def test_query_mistakes_read_in_plain_words(store, text, line, column, words, found):
    _check_case(refused(store, text), text, line, column, words, found, parser_message(text))


@pytest.mark.parametrize("text,line,column,words,found", UPDATES, ids=[u[0][:40] for u in UPDATES])
def test_update_mistakes_read_in_plain_words(store, text, line, column, words, found):
    err = refused(store, text, update=True)
    _check_case(err, text, line, column, words, found, parser_message(text, update=True))


def test_the_issue_example_names_the_prefix_and_keeps_the_parsers_message(store):
    text = "SELECT ?x WHERE { ?x foo:bar ?y }"
    err = refused(store, text)
    assert str(err) == "line 1, column 22: unknown prefix `foo:`; declare it with PREFIX foo: <…>"
    assert err.pointer == "SELECT ?x WHERE { ?x foo:bar ?y }\n                     ^"
    assert err.detail.startswith("error at 1:29: expected one of Prefix not found")
    assert err.expected == ("PREFIX foo: <…>",)


# --- positions: lines from 1 at each \n, columns in characters, carets under them ----------


@pytest.mark.parametrize(
    "before,cells",
    [
        ("", 0),
        ("héllo", 5),
        ("日本語", 6),
        ("😀", 2),
        ("e\u0301", 1),
        ("a\tb", None),
    ],
)
def test_columns_count_characters_and_the_caret_lands_under_them(store, before, cells):
    head = 'SELECT * WHERE {\r\n  ?s ?p "x" .\r\n  ?s ?q "' + before + '" . '
    text = head + "?s foo:bar ?y }"
    err = refused(store, text)
    # Oxigraph's own numbers, read as code points from the last \n, land after foo:bar.
    m = re.match(r"error at (\d+):(\d+):", err.detail)
    assert m and at(text, int(m.group(1)), 1)[: int(m.group(2)) - 1].endswith("foo:bar")
    column = len(head) - head.rfind("\n") + len("?s ")
    assert (err.line, err.column) == (3, column)
    shown, caret = err.pointer.split("\n")
    assert shown == text.split("\n")[2].rstrip("\r")  # the line as typed, without the \r
    # Tabs are copied, wide characters take two cells, combining marks none.
    assert (
        caret
        == "".join(
            "\t"
            if c == "\t"
            else " " * (2 if unicodedata.east_asian_width(c) in "WF" else 0 if unicodedata.combining(c) else 1)
            for c in shown[: column - 1]
        )
        + "^"
    )
    if cells is not None:
        assert len(caret) - 1 == len('  ?s ?q "') + cells + len('" . ?s ')


def test_line_column_agrees_with_the_parser_across_lines():
    text = "SELECT *\nWHERE {\n  ?s ?p ?o .\n  ?s foo:bar ?y\n}"
    with pytest.raises(SyntaxError) as info:
        ox.Store().query(text)
    m = re.match(r"error at (\d+):(\d+):", str(info.value))
    offset = text.index("foo:bar") + len("foo:bar")
    assert line_column(text, offset) == (int(m.group(1)), int(m.group(2)))


def test_a_long_line_is_cut_around_the_column():
    text = "SELECT * WHERE { " + " ".join(f"?s{i} <http://e/p> ?o{i} ." for i in range(300)) + " ?s foo:bar ?y }"
    err = syntax_error(text, SyntaxError(parser_message(text)))
    shown, caret = err.pointer.split("\n")
    assert len(shown) <= 102 and shown.startswith("…")
    assert shown[len(caret) - 1 :].startswith("foo:bar")


# --- the error itself -------------------------------------------------------------------------


@pytest.mark.parametrize("text", [q[0] for q in QUERIES])
def test_a_syntax_error_rebuilt_in_another_process_reads_the_same(store, text):
    err = refused(store, text)
    with pytest.raises(SyntaxError) as info:
        ox.Store().query(text)
    original = info.value
    # What crosses a process boundary: the message and the position fields, nothing else.
    rebuilt = SyntaxError(str(original))
    rebuilt.msg, rebuilt.lineno, rebuilt.offset = original.msg, original.lineno, original.offset
    again = syntax_error(text, rebuilt, operation="query")
    assert (str(again), again.line, again.column, again.pointer, again.detail) == (
        str(err),
        err.line,
        err.column,
        err.pointer,
        err.detail,
    )
    assert str(syntax_error(text, SyntaxError(str(original)), operation="query")) == str(err)


def test_the_error_survives_pickling_with_its_fields(store):
    err = refused(store, "SELECT ?x WHERE { ?x foo:bar ?y }")
    back = pickle.loads(pickle.dumps(err))
    assert type(back) is QuerySyntaxError
    assert (str(back), back.line, back.column, back.found, back.expected, back.pointer, back.detail) == (
        str(err),
        err.line,
        err.column,
        err.found,
        err.expected,
        err.pointer,
        err.detail,
    )


def test_a_refusal_before_parsing_keeps_a_plain_message(store):
    err = refused(store, "SELECT * WHERE " + "{" * 300 + "}" * 300)
    assert "AIKG_MAX_NESTING" in str(err) and err.line is None and err.detail is None


def test_a_message_without_a_position_is_kept():
    err = syntax_error("SELECT ?x WHERE { ?x ?p ?o }", SyntaxError("something odd happened"))
    assert str(err) == "something odd happened" and err.line is None
    assert err.detail == "something odd happened"


@pytest.mark.parametrize(
    "name,text",
    [
        ("wide", "SELECT * WHERE { " + " ".join(f"?s{i} <http://e/p> ?o{i} ." for i in range(3000)) + " ?a }"),
        (
            "binds",
            "SELECT * WHERE { ?s ?p ?o "
            + " ".join(f"BIND(STR(?o) AS ?b{i})" for i in range(3000))
            + " BIND(1 AS ?o) }",
        ),
        ("long string", 'SELECT * WHERE { ?s ?p "' + "x" * 200_000 + '" . ?s foo:bar ?y }'),
    ],
)
def test_big_broken_queries_are_explained_quickly(name, text):
    raw = parser_message(text)
    started = time.monotonic()
    err = syntax_error(text, SyntaxError(raw))
    assert time.monotonic() - started < 3
    check_readable(err, text)


# --- no false alarms: valid text never gets blamed -------------------------------------------

VALID = [
    "PREFIX ex: <http://e/> SELECT * WHERE { ?s (ex:p|ex:q)/^ex:r* ?o . ?s !(ex:p|^ex:q) ?o2 . "
    "?s ex:p? ?o3 ; a/ex:p ?o4 }",
    'PREFIX ex: <http://e/> SELECT * WHERE { ?s ex:p (1 2 3 4 5) . (1 ?x "a" ex:b) ex:p ?o }',
    "PREFIX ex: <http://e/> SELECT * WHERE { [ ex:p ?o ; ex:q ?r ] ex:s ?t . ?s ex:p [] . "
    "?s ex:p [ ex:q 1 ] , [ ex:r 2 ] }",
    "PREFIX ex: <http://e/> PREFIX xsd: <http://www.w3.org/2001/XMLSchema#> SELECT * WHERE { "
    '?s ex:p ?a, ?b, ?c ; ex:q ?d . ?s a ex:C ; ex:n "1"^^xsd:int, "x"@en-GB, 1.5, -2, +3e10, true . }',
    'SELECT * WHERE { ?s ?p ?x FILTER regex(?x, "a", "i") FILTER NOT EXISTS { ?x ?p ?s } '
    "FILTER(?x IN (1,2)) FILTER(?x NOT IN (1)) FILTER (!BOUND(?x)) FILTER(?a<?b) "
    'FILTER(?a > -1 && ?b != "x" || !(?c <= 3)) }',
    "SELECT * WHERE { ?s ?p ?o BIND(STR(?o) AS ?t) VALUES (?a ?b) { (1 UNDEF) (UNDEF 2) } "
    "VALUES ?c { 1 2 3 4 } } VALUES ?s { <http://a> <http://b> <http://c> <http://d> }",
    'SELECT * WHERE { VALUES (?a ?d) { (<http://a> "2024-01-01"^^<http://www.w3.org/2001/XMLSchema#date>) '
    '(UNDEF "x"@en) } }',
    "SELECT ?s ?n WHERE { { SELECT ?s (COUNT(?o) AS ?n) WHERE { ?s ?p ?o } GROUP BY ?s "
    "HAVING (COUNT(?o) > 1) ORDER BY DESC(?n) LIMIT 10 OFFSET 2 } }",
    "SELECT * WHERE { GRAPH ?g { ?s ?p ?o } MINUS { ?s ?p 1 } { ?s ?p 2 } UNION { ?s ?p 3 } "
    "OPTIONAL { ?s ?q ?r OPTIONAL { ?r ?q ?s } } }",
    'SELECT (COUNT(DISTINCT *) AS ?n) (GROUP_CONCAT(?x; SEPARATOR=", ") AS ?all) (SAMPLE(?y) AS ?one) '
    "WHERE { ?x ?p ?y }",
    "SELECT ?x WHERE { ?x ?p ?y } GROUP BY ?x HAVING (COUNT(?y) > 1) ORDER BY DESC(COUNT(?y)) ASC(?x) STR(?x)",
    "CONSTRUCT WHERE { ?s ?p ?o }",
    "CONSTRUCT { ?s <http://p> _:b . _:b <http://q> ?o . ?o ?q ?r } WHERE { ?s ?p ?o OPTIONAL { ?o ?q ?r } }",
    "DESCRIBE <http://a> ?y ?z ?w WHERE { ?y ?p ?z . ?z ?q ?w }",
    "ASK { FILTER(true) }",
    "SELECT * WHERE { # a comment with { braces } and \"quotes'\n ?s ?p \"}\" . ?s ?q '{' . "
    '?s ?r """multi\nline { """ . ?s ?t <http://e/x#frag> }',
    "BASE <http://e/> PREFIX : <http://e/ns#> SELECT * WHERE { <rel> :p :q . ?s :a.b ?o . "
    "?s :%20x ?o . ?s :a\\-b ?o . $x :p $y }",
    "SELECT * WHERE { ?s ?p 1. }",
    "SELECT * WHERE { ?s ?p ?o . FILTER(?o > 1) . ?s ?q ?r }",
    "SELECT * WHERE { { ?s ?p ?o } . { ?a ?b ?c } OPTIONAL { ?s ?p ?o } . ?s ?p ?o }",
    "SELECT ?a ?b ?c ?d WHERE { ?a ?b ?c . ?c ?d 1 } GROUP BY ?a ?b ?c ?d",
    "SELECT ?y ?z WHERE { ?s ?p ?x } GROUP BY (STR(?x) AS ?y) ?s (LCASE(?p) AS ?z)",
    "SELECT * WHERE { ?s ?p ?o FILTER EXISTS { SELECT (COUNT(?x) AS ?n) WHERE { ?x ?p ?o } } }",
    'SELECT ?s WHERE { ?s ?p ?o FILTER(CONTAINS(LCASE(STR(?o)), "a")) BIND(IF(BOUND(?o), 1, 0) AS ?k) '
    'BIND(COALESCE(?x, ?y, 3) AS ?co) BIND(SUBSTR(?o, 1, 2) AS ?sub) BIND(REPLACE(?o, "a", "b", "i") AS ?r) '
    'BIND(NOW() AS ?now) BIND(BNODE() AS ?bn) BIND(STRDT("1", <http://t>) AS ?dt) }',
    "SELECT * WHERE { ?s ?p ?o ; ; ?q ?r }",
    "SELECT * FROM <http://g> FROM NAMED <http://h> WHERE { GRAPH <http://h> { ?s ?p ?o } }",
    'SELECT * WHERE { ?s ?p "a\\tb\\n\\"q\\"\\u00e9\\U0001F600" . ?s ?p "é日本😀" }',
    "SELECT (?a + ?b * 2 - 1 / 3 AS ?c) WHERE { ?s ?a ?b }",
    "SELECT * WHERE { ?s ?p ?o MINUS { ?s ?p ?x } BIND(1 AS ?x) }",
]
VALID_UPDATES = [
    'INSERT DATA { <http://a> <http://b> 1 . GRAPH <http://g> { <http://a> <http://b> "x"@en } }',
    "PREFIX ex: <http://e/> DELETE { ?s ex:p ?o } INSERT { ?s ex:q ?o } USING <http://g> "
    "USING NAMED <http://h> WHERE { ?s ex:p ?o }",
    "WITH <http://g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }",
    "CLEAR SILENT GRAPH <http://g> ; DROP ALL ; CREATE GRAPH <http://z> ; ADD DEFAULT TO GRAPH <http://g> ; "
    "COPY <http://a> TO <http://b>",
    "INSERT DATA { <http://a> <http://b> 1 } ; DELETE DATA { <http://a> <http://b> 1 } ;",
]


def shipped_queries() -> list[str]:
    """Every query the project ships or documents."""
    from api.routes.pages import _EXAMPLE

    texts = [q.text for q in list_queries()] + [_EXAMPLE]
    texts += re.findall(r"```sparql\n(.*?)```", (REPO / "README.md").read_text(encoding="utf-8"), re.S)
    return texts


@pytest.mark.parametrize("text", shipped_queries() + VALID)
def test_a_valid_query_is_never_blamed_for_a_mistake_added_after_it(store, text):
    ox.Store().query(text)  # valid as written
    broken = text.rstrip() + "\n}"
    err = refused(store, broken)
    assert err.line == broken.count("\n") + 1 and err.column == 1, str(err)
    assert "unexpected `}`" in str(err)


@pytest.mark.parametrize("text", VALID_UPDATES)
def test_a_valid_update_is_never_blamed_for_a_mistake_added_after_it(store, text):
    broken = text.rstrip().rstrip(";") + " ;\nINSRT DATA { <http://a> <http://b> 2 }"
    err = refused(store, broken, update=True)
    assert (err.line, err.column) == (broken.count("\n") + 1, 1), str(err)


def test_the_scope_checks_find_nothing_in_valid_queries():
    # The checks that look for scope and grouping mistakes run only once the parser has
    # refused a text; on valid text they must stay silent, or they would mislead.
    from kg.sparql_errors import _Analysis

    for text in shipped_queries() + VALID:
        an = _Analysis(text, "query", None)
        an.run()
        an.check_semantics("")
        assert an.findings == [], (text, [f.message for f in an.findings])


# --- a SPARQL server's 400 reads the same ---------------------------------------------------


@pytest.mark.server
def test_a_remote_oxigraph_servers_refusal_reads_the_same(tmp_path):
    from kg.remote import RemoteStore
    from tests.servers import OxigraphServer

    server = OxigraphServer(tmp_path / "ox")
    server.start()
    try:
        with RemoteStore(server.url) as remote:
            with pytest.raises(QuerySyntaxError) as info:
                remote.query("SELECT ?x WHERE {\n  ?x foo:bar ?y }")
    finally:
        server.stop()
    err = info.value
    assert str(err) == "line 2, column 6: unknown prefix `foo:`; declare it with PREFIX foo: <…>"
    assert err.pointer == "  ?x foo:bar ?y }\n     ^"
    assert err.detail.startswith("error at 2:13:")


# --- property: every broken variant of a shipped query is explained readably --------------

_TOKEN = re.compile(r'"[^"\n]*"|<[^>\s]*>|[?$]\w+|\w+:\w*|\w+|\S')
_INSERTS = [
    "{",
    "}",
    "(",
    ")",
    ".",
    ";",
    ",",
    "?x",
    "foo:bar",
    '"',
    "'",
    "<http://a b>",
    "SELECT",
    "FILTER",
    "WHERE",
    "a",
    "@",
    "GROUP BY",
    "OPTIONAL",
    "1",
    "AS",
    "^^",
    "#",
    "<",
    "|",
    "\u00a0",
    "é",
    "日本",
]


@st.composite
def broken_variants(draw) -> str:
    text = draw(st.sampled_from(CORPUS))
    for _ in range(draw(st.integers(1, 2))):
        spans = [m.span() for m in _TOKEN.finditer(text)] or [(0, 0)]
        start, end = draw(st.sampled_from(spans))
        how = draw(
            st.sampled_from(
                ["delete token", "insert token", "duplicate token", "delete char", "insert char", "truncate"]
            )
        )
        if how == "delete token":
            text = text[:start] + text[end:]
        elif how == "insert token":
            text = text[:start] + draw(st.sampled_from(_INSERTS)) + " " + text[start:]
        elif how == "duplicate token":
            text = text[:end] + " " + text[start:end] + text[end:]
        elif how == "delete char":
            i = draw(st.integers(0, max(len(text) - 1, 0)))
            text = text[:i] + text[i + 1 :]
        elif how == "insert char":
            i = draw(st.integers(0, len(text)))
            text = text[:i] + draw(st.sampled_from("{}()[].,;:?$\"'<>#@^|\\/*+-=!é\t\n")) + text[i:]
        else:
            text = text[:start]
    return text


CORPUS = shipped_queries() + VALID


def test_every_broken_variant_of_a_shipped_query_is_explained_readably(store):
    seen = {"refused": 0, "accepted": 0}
    started = time.monotonic()

    @given(text=broken_variants())
    @settings(
        max_examples=1500,
        deadline=None,
        database=None,
        derandomize=True,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    def run(text: str) -> None:
        try:
            store.query(text)
        except QuerySyntaxError as err:
            seen["refused"] += 1
            check_readable(err, text)
            assert err.detail is not None and err.detail.startswith("error at")
            return
        seen["accepted"] += 1

    run()
    # Most variants must be broken, or the test would prove little.
    assert seen["refused"] >= 1100, seen
    assert time.monotonic() - started < 60
