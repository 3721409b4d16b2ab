"""The protocol's update dataset written as USING clauses, run on a real pyoxigraph store."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from kg.errors import QuerySyntaxError
from kg.update_dataset import UpdateDatasetError, with_using

G1, G2, G3 = "http://example.org/g1", "http://example.org/g2", "http://example.org/g3"
DOC = "http://example.org/Doc"
OUT = "http://example.org/out"


def store() -> ox.Store:
    """Three graphs, each holding one document typed in it."""
    s = ox.Store()
    for g in (G1, G2, G3):
        s.add(
            ox.Quad(
                ox.NamedNode(g + "#d"),
                ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"),
                ox.NamedNode(DOC),
                ox.NamedNode(g),
            )
        )
    return s


def out(s: ox.Store) -> set[str]:
    """The subjects copied into the output graph."""
    return {q.subject.value for q in s.quads_for_pattern(None, None, None, ox.NamedNode(OUT))}


COPY_DEFAULT = f"INSERT {{ GRAPH <{OUT}> {{ ?s a <{DOC}> }} }} WHERE {{ ?s a <{DOC}> }}"
COPY_NAMED = f"INSERT {{ GRAPH <{OUT}> {{ ?s a <{DOC}> }} }} WHERE {{ GRAPH ?g {{ ?s a <{DOC}> }} }}"


def test_no_parameters_leave_the_text_as_sent():
    assert with_using(COPY_DEFAULT) == COPY_DEFAULT
    assert with_using("WITH <http://x/> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }").startswith("WITH")


def test_using_graph_uri_is_the_where_clauses_default_graph():
    s = store()
    s.update(with_using(COPY_DEFAULT, [G1, G2]))
    assert out(s) == {G1 + "#d", G2 + "#d"}


def test_using_named_graph_uri_names_the_graphs_and_empties_the_default():
    s = store()
    s.update(with_using(COPY_NAMED, using_named=[G2]))
    assert out(s) == {G2 + "#d"}
    t = store()
    t.update(with_using(COPY_DEFAULT, using_named=[G2]))
    assert out(t) == set()  # as USING NAMED alone: no default graph to match


def test_the_rewrite_means_what_the_clauses_written_by_hand_mean():
    by_hand, by_protocol = store(), store()
    by_hand.update(COPY_NAMED.replace("WHERE", f"USING <{G3}> USING NAMED <{G1}> WHERE"))
    by_protocol.update(with_using(COPY_NAMED, [G3], [G1]))
    assert set(by_hand) == set(by_protocol) and out(by_protocol) == {G1 + "#d"}


def test_every_modify_operation_gets_the_clauses_and_the_others_are_left_alone():
    update = (
        f"CLEAR GRAPH <{OUT}> ;\nINSERT DATA {{ GRAPH <{G3}> {{ <http://example.org/x> a <{DOC}> }} }} ;\n"
        f"{COPY_DEFAULT} ;\nDELETE {{ GRAPH <{G3}> {{ ?s a <{DOC}> }} }} WHERE {{ ?s a <{DOC}> }}"
    )
    text = with_using(update, [G3])
    assert text.count(f"USING <{G3}>") == 2
    s = store()
    s.update(f"CREATE GRAPH <{OUT}>")
    s.update(text)
    # Both copied documents were read from g3 only, and then deleted from g3 only.
    assert out(s) == {G3 + "#d", "http://example.org/x"}
    assert not list(s.quads_for_pattern(None, None, None, ox.NamedNode(G3)))
    assert len(list(s.quads_for_pattern(None, None, None, ox.NamedNode(G1)))) == 1


def test_keywords_and_brackets_inside_tokens_do_not_count():
    # Outside any group: a comment, an IRI and prefixed names holding WITH, USING, WHERE,
    # brackets or ';'. Inside the template: strings holding brackets, ';' and keywords.
    update = (
        "PREFIX with: <http://example.org/using;WHERE#>\n"
        "PREFIX using: <http://example.org/>\n"
        "# WITH <http://example.org/nothing> USING ; } WHERE {\n"
        "CLEAR SILENT GRAPH with:where\\;using ;\n"
        f"INSERT {{ GRAPH <{OUT}> {{ ?s with:where "
        """"USING } } ; WHERE" , '''WITH\n} } ;''' , 'x } } ;' , """
        '"""y } } ;\n""" } }\n'
        f"WHERE {{ ?s a <{DOC}> FILTER(?s != using:WHERE) }}"
    )
    text = with_using(update, [G2])
    assert text.count(f"USING <{G2}>") == 1
    assert text.index("'x } } ;'") < text.index(f"USING <{G2}>") < text.rindex("WHERE {")
    s = store()
    s.update(text)
    assert out(s) == {G2 + "#d"}


@pytest.mark.parametrize(
    "update",
    [
        "INSERT DATA { <http://x/a> <http://x/b> 'WITH' } ; CLEAR SILENT GRAPH <http://x/USING> # WITH",
        "PREFIX with: <http://x/> CLEAR SILENT GRAPH with:using",
    ],
)
def test_a_keyword_in_a_token_is_no_dataset_clause(update):
    assert with_using(update, [G1]) == update


def test_a_where_in_a_subquery_is_not_the_operations():
    update = f"INSERT {{ GRAPH <{OUT}> {{ ?s a <{DOC}> }} }}\nWHERE {{ {{ SELECT ?s WHERE {{ ?s a <{DOC}> }} }} }}"
    text = with_using(update, [G1])
    assert text.count("USING") == 1 and text.index("USING") < text.index("WHERE")
    s = store()
    s.update(text)
    assert out(s) == {G1 + "#d"}


@pytest.mark.parametrize(
    "update, clause",
    [
        ("WITH <http://example.org/g1> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }", "WITH"),
        ("DELETE { ?s ?p ?o } USING <http://example.org/g1> WHERE { ?s ?p ?o }", "USING"),
        (
            "prefix e: <http://example.org/> insert { ?s ?p ?o } using named e:g1 where { graph ?g { ?s ?p ?o } }",
            "USING",
        ),
        ("CLEAR ALL ; with <http://example.org/g1> insert { ?s a ?o } where { ?s a ?o }", "WITH"),
    ],
)
def test_an_update_with_its_own_dataset_is_refused(update, clause):
    with pytest.raises(UpdateDatasetError, match=f"own {clause} clause"):
        with_using(update, using_named=[G1])


def test_delete_where_is_refused_with_the_form_that_takes_a_dataset():
    with pytest.raises(UpdateDatasetError, match=r"DELETE WHERE \(operation 2\).*DELETE \{ pattern \} WHERE"):
        with_using("INSERT DATA { <http://x/a> <http://x/b> 1 } ;\n delete  where { ?s ?p ?o }", [G1])
    # The long form is fine, and deletes only what the dataset matched.
    s = store()
    s.update(f"INSERT DATA {{ <{G1}#d> a <{DOC}> . <{G2}#d> a <{DOC}> }}")
    s.update(with_using("DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }", [G1]))
    assert {q.subject.value for q in s.quads_for_pattern(None, None, None, ox.DefaultGraph())} == {G2 + "#d"}


@pytest.mark.parametrize(
    "update",
    [
        "INSERT DATA { <http://x/a> <http://x/b> 1 }",
        "DELETE DATA { <http://x/a> <http://x/b> 1 }",
        "CLEAR SILENT GRAPH <http://x/g> ; DROP ALL ; CREATE GRAPH <http://x/g>",
        "ADD <http://x/g> TO <http://x/h> ; MOVE DEFAULT TO <http://x/i>",
    ],
)
def test_operations_without_a_where_clause_are_unchanged(update):
    assert with_using(update, [G1], [G2]) == update


@pytest.mark.parametrize("iri", ["not an iri", "http://x/> } ; DROP ALL ; #", "relative/path", ""])
def test_a_graph_name_that_is_not_an_iri_is_refused_and_never_written(iri):
    with pytest.raises(UpdateDatasetError, match="not an absolute IRI") as caught:
        with_using(COPY_DEFAULT, [G1], [iri])
    assert isinstance(caught.value, QuerySyntaxError)  # a bad request, 400 at the API


def test_a_malformed_update_is_left_for_the_parser():
    text = with_using(f"INSERT {{ GRAPH <{OUT}> {{ ?s a <{DOC}> }} WHERE {{ ?s a <{DOC}> }}", [G1])
    with pytest.raises(SyntaxError):
        store().update(text)
