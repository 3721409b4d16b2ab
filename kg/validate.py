"""SHACL validation against ontology/shapes.ttl: a report, never an exception."""

from __future__ import annotations

import io
import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, cast

import pyoxigraph as ox
import rdflib
import rdflib.collection
from rdflib.namespace import SH

from kg.namespaces import ONTOLOGY, RDF, term_value
from kg.store import Store

log = logging.getLogger(__name__)

_STATEMENT_PARTS = {RDF + "subject", RDF + "predicate", RDF + "object"}


@dataclass(frozen=True)
class Violation:
    """One SHACL result, readable."""

    focus: str
    path: str | None
    value: str | None
    message: str
    severity: str

    def format(self) -> str:
        """Return one line: focus node, path, value, message."""
        where = _short(self.focus) + (f" {_short(self.path)}" if self.path else "")
        val = f" = {_short(self.value)}" if self.value and self.value != self.focus else ""
        return f"{self.severity}: {where}{val}: {self.message}"


@dataclass
class ValidationReport:
    """The outcome of validating a graph against the shapes."""

    conforms: bool
    violations: list[Violation] = field(default_factory=list)
    triples: int = 0

    def format(self) -> str:
        """Return a readable report."""
        if self.conforms:
            return f"conforms: {self.triples} triples, no violations"
        lines = [f"{len(self.violations)} violation(s) in {self.triples} triples:"]
        lines += ["  " + v.format() for v in self.violations]
        return "\n".join(lines)

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-ready dict."""
        return {"conforms": self.conforms, "triples": self.triples, "violations": [v.__dict__ for v in self.violations]}


def _short(iri: str | None) -> str:
    if iri is None:
        return ""
    for prefix, ns in (
        ("aikg:", ONTOLOGY),
        ("ent:", "https://w3id.org/aikg/entity/"),
        ("stmt:", "https://w3id.org/aikg/statement/"),
        ("art:", "https://w3id.org/aikg/article/"),
        ("rdf:", RDF),
    ):
        if iri.startswith(ns):
            return prefix + iri[len(ns) :]
    return iri


def _class_alternatives(shapes: rdflib.Graph, node: rdflib.term.Node) -> list[str] | None:
    """Return the classes of ``sh:class C`` or ``sh:or ([sh:class C1] ...)`` on a shape, else None."""
    direct = list(shapes.objects(node, SH["class"]))
    if len(direct) == 1 and shapes.value(node, SH["or"]) is None:
        return [str(direct[0])]
    if direct:
        return None
    alternatives = shapes.value(node, SH["or"])
    if alternatives is None:
        return None
    out = []
    for item in rdflib.collection.Collection(shapes, alternatives):
        if set(shapes.predicates(item)) != {SH["class"]}:
            return None
        out.append(str(shapes.value(item, SH["class"])))
    return out


def _focus_pattern(shapes: rdflib.Graph, shape: rdflib.term.Node) -> str | None:
    """Return a SPARQL pattern binding ?this to a node shape's targets, if it has one kind."""
    targets = [
        (SH.targetClass, "?this a <{}> ."),
        (SH.targetSubjectsOf, "?this <{}> [] ."),
        (SH.targetObjectsOf, "[] <{}> ?this ."),
    ]
    found = [(fmt, t) for pred, fmt in targets for t in shapes.objects(shape, pred)]
    if len(found) != 1 or any(True for _ in shapes.objects(shape, SH.targetNode)):
        return None
    fmt, target = found[0]
    return fmt.format(target)


@lru_cache(maxsize=1)
def _split_shapes() -> tuple[rdflib.Graph, tuple[tuple[str, str, str | None], ...]]:
    """Return the shapes left to pyshacl, and the constraints we run in pyoxigraph.

    pyshacl evaluates SPARQL constraints through rdflib's engine, and class constraints
    (``sh:class``, ``sh:or`` of classes) node by node, building a result for every
    failed alternative: together seconds per batch. We run each such constraint once,
    for all its focus nodes, as one SPARQL query in pyoxigraph. The class checks mean
    what SHACL means with inference off: the value has ``rdf:type`` one of the classes
    (the data graph holds no ``rdfs:subClassOf``). Each entry: (query selecting ?this and
    optionally ?value, message, result path or None).
    """
    from ontology import load_shapes

    shapes = load_shapes()
    core = rdflib.Graph()
    drop = set(shapes.triples((None, SH.sparql, None)))
    constraints: list[tuple[str, str, str | None]] = []
    for shape, _, constraint in sorted(drop):
        select = str(shapes.value(constraint, SH.select)).replace("$this", "?this")
        message = str(shapes.value(constraint, SH.message) or "SPARQL constraint violated")
        focuses = [f"?this a <{t}> ." for t in shapes.objects(shape, SH.targetClass)]
        focuses += [f"VALUES ?this {{ <{n}> }}" for n in shapes.objects(shape, SH.targetNode)]
        for target in focuses:
            constraints.append((f"SELECT DISTINCT ?this ?value WHERE {{ {target} {{ {select} }} }}", message, None))

    def values(classes: list[str]) -> str:
        return " ".join(f"<{c}>" for c in classes)

    converted_props: dict[rdflib.term.Node, bool] = {}
    for shape in set(shapes.subjects(rdflib.RDF.type, SH.NodeShape)):
        focus = _focus_pattern(shapes, shape)
        if focus is None:
            continue
        classes = _class_alternatives(shapes, shape)
        if classes is not None:
            message = str(shapes.value(shape, SH.message) or "class constraint violated")
            constraints.append(
                (
                    f"SELECT DISTINCT ?this (?this AS ?value) WHERE {{ {focus} "
                    f"FILTER NOT EXISTS {{ ?this a ?c . VALUES ?c {{ {values(classes)} }} }} }}",
                    message,
                    None,
                )
            )
            drop |= set(shapes.triples((shape, SH["class"], None))) | set(shapes.triples((shape, SH["or"], None)))
        for prop in shapes.objects(shape, SH.property):
            path = shapes.value(prop, SH.path)
            classes = _class_alternatives(shapes, prop)
            if not isinstance(path, rdflib.URIRef) or classes is None:
                converted_props[prop] = False
                continue
            message = str(shapes.value(prop, SH.message) or "class constraint violated")
            constraints.append(
                (
                    f"SELECT DISTINCT ?this ?value WHERE {{ {focus} ?this <{path}> ?value . "
                    f"FILTER NOT EXISTS {{ ?value a ?c . VALUES ?c {{ {values(classes)} }} }} }}",
                    message,
                    str(path),
                )
            )
            converted_props.setdefault(prop, True)
    for prop, ok in converted_props.items():
        if ok:
            drop |= set(shapes.triples((prop, SH["class"], None))) | set(shapes.triples((prop, SH["or"], None)))
    for t in shapes:
        if t not in drop:
            core.add(t)
    return core, tuple(constraints)


def _sparql_violations(triples: list[ox.Triple]) -> list[Violation]:
    _, constraints = _split_shapes()
    if not constraints:
        return []
    mem = ox.Store()
    mem.extend(ox.Quad(t.subject, t.predicate, t.object, ox.DefaultGraph()) for t in triples)
    out = []
    for query, message, path in constraints:
        # The shapes' SPARQL constraints are SELECT queries (sh:select).
        for row in cast(ox.QuerySolutions, mem.query(query)):
            value = _get(row, "value")
            out.append(
                Violation(
                    focus=row["this"].value,
                    path=path,
                    value=None if value is None else value.value,
                    message=message,
                    severity="Violation",
                )
            )
    return out


def _get(row: ox.QuerySolution, name: str) -> Any:
    try:
        return row[name]
    except (KeyError, IndexError):
        return None


# Above this many triples a graph is validated in slices. pyshacl's memory grows with the
# graph it is given (about 2 KB a triple). No shape looks across statements (each checks one statement and the
# entities, article and direct triple it names), so every slice holds a share of the
# statement nodes plus everything else, and the results are the same.
SLICE_TRIPLES = 30_000


def validate_triples(triples: Iterable[ox.Triple]) -> ValidationReport:
    """Validate triples against ontology/shapes.ttl (no inference).

    A large graph is validated in slices of statement nodes (see :data:`SLICE_TRIPLES`),
    so memory stays bounded whatever its size.
    """
    triples = list(triples)
    if len(triples) <= SLICE_TRIPLES:
        return _validate(triples)
    statement_type = ox.NamedNode(ONTOLOGY + "RelationStatement")
    statements = {t.subject for t in triples if t.predicate.value == RDF + "type" and t.object == statement_type}
    by_statement: dict[object, list[ox.Triple]] = {}
    common = []
    for t in triples:
        if t.subject in statements:
            by_statement.setdefault(t.subject, []).append(t)
        else:
            common.append(t)
    slices: list[list[ox.Triple]] = [[]]
    for group in by_statement.values():
        if len(slices[-1]) >= SLICE_TRIPLES:
            slices.append([])
        slices[-1].extend(group)
    violations: dict[tuple[Any, ...], Violation] = {}
    for part in slices:
        # The nodes outside the statements are in every slice; their results are merged.
        for v in _validate(common + part).violations:
            violations.setdefault((v.focus, v.path, v.value, v.message), v)
    found = sorted(violations.values(), key=lambda v: (v.focus, v.path or "", v.message))
    return ValidationReport(not found, found, len(triples))


def _validate(triples: list[ox.Triple]) -> ValidationReport:
    """Validate one graph in one pyshacl run (plus the SPARQL constraints)."""
    import pyshacl

    core, _ = _split_shapes()
    buf = io.BytesIO()
    ox.serialize(triples, buf, format=ox.RdfFormat.N_TRIPLES)
    data = rdflib.Graph()
    data.parse(data=buf.getvalue().decode("utf-8"), format="nt")
    conforms, results, _ = pyshacl.validate(
        data, shacl_graph=core, inference="none", advanced=True, allow_warnings=True
    )
    violations = []
    for res in results.subjects(rdflib.RDF.type, SH.ValidationResult):

        def one(p: rdflib.term.Node, res: rdflib.term.Node = res) -> str | None:
            v = results.value(res, p)
            return None if v is None else str(v)

        sev = one(SH.resultSeverity) or ""
        violations.append(
            Violation(
                focus=one(SH.focusNode) or "",
                path=one(SH.resultPath),
                value=one(SH.value),
                message=one(SH.resultMessage) or "constraint violated",
                severity=sev.rsplit("#", 1)[-1] or "Violation",
            )
        )
    violations.extend(_sparql_violations(triples))
    violations.sort(key=lambda v: (v.focus, v.path or "", v.message))
    return ValidationReport(not violations, violations, len(triples))


def validate_store(store: Store) -> ValidationReport:
    """Validate the store's union graph."""
    triples = [ox.Triple(r["s"], r["p"], r["o"]) for r in store.select("SELECT ?s ?p ?o WHERE { ?s ?p ?o }")]
    return validate_triples(triples)


def validate_batch(quads: list[ox.Quad]) -> tuple[list[ox.Quad], list[str]]:
    """Validate a batch's quads; return the quads to keep and the violations left out.

    A violation on a direct relation drops that relation and its statements; one on a
    statement drops the statement (and its direct relation when nothing else supports
    it); one on an entity drops the entity and every relation touching it.
    """
    triples = {q.triple for q in quads}
    report = validate_triples(triples)
    if report.conforms:
        return quads, []
    bad_nodes: set[str] = set()
    bad_triples: set[tuple[str | None, str | None, str | None]] = set()
    for v in report.violations:
        if v.path and v.path.startswith(ONTOLOGY) and v.value:
            bad_triples.add((v.focus, v.path, v.value))
        elif v.path is None and v.value and v.focus.startswith(ONTOLOGY):
            bad_nodes.add(v.value)  # a class-wide SPARQL check names the offender as its value
        else:
            bad_nodes.add(v.focus)
    by_subject: dict[str, dict[str, str]] = {}
    for q in quads:
        if q.predicate.value in _STATEMENT_PARTS:
            by_subject.setdefault(term_value(q.subject), {})[q.predicate.value] = term_value(q.object)
    bad_statements = set()
    for st, parts in by_subject.items():
        spo = (parts.get(RDF + "subject"), parts.get(RDF + "predicate"), parts.get(RDF + "object"))
        if st in bad_nodes or spo in bad_triples or bad_nodes & {spo[0], spo[2]}:
            bad_statements.add(st)
            if st in bad_nodes:
                bad_triples.add(spo)  # re-checked below: kept if another statement supports it
    supported = {
        (p.get(RDF + "subject"), p.get(RDF + "predicate"), p.get(RDF + "object"))
        for st, p in by_subject.items()
        if st not in bad_statements
    }
    kept = []
    for q in quads:
        s, p, o = term_value(q.subject), q.predicate.value, getattr(q.object, "value", None)
        if s in bad_statements or s in bad_nodes:
            continue
        if p.startswith(ONTOLOGY) and (s, p, o) in bad_triples and (s, p, o) not in supported:
            continue
        if p.startswith(ONTOLOGY) and o in bad_nodes:
            continue
        kept.append(q)
    return kept, [v.format() for v in report.violations]
