"""Curation: people's corrections kept as data, and the curated default graph they make.

The layout (docs/CURATION.md):

- every article's named graph keeps exactly what extraction wrote; curation never edits it;
- each correction is one resource ``<{base}curation/op/<id>>`` in the named graph
  ``<{base}graph/curation>``, typed by a subclass of ``aikg:CurationOperation``
  (:data:`OP_TYPES`), with ``prov:wasAttributedTo``, ``dcterms:created`` and ``aikg:reason``;
  the history only grows: an ``aikg:Undo`` names the operation it takes back;
- the default graph is the *curated projection* of the named graphs: :func:`project` maps
  the quads of whole named graphs through a :class:`CurationState` read from the curation
  graph, and :func:`derived` adds what the operations themselves state (a new name, an
  alias, ``owl:sameAs`` of a merge). The curation graph's own triples are copied as they are.

Writers call :func:`project` on what they insert (``LocalStore.commit``,
``RemoteStore.commit``, ``LocalStore.load``), :func:`drop_deletes` for what a dropped graph
took with it, and :func:`apply_operation` re-projects only the graphs an operation touches,
in the transaction that records it.

The package owns the curation vocabulary and records (:mod:`.records`), the projection
(:mod:`.projection`), recording an operation in a store (:mod:`.apply`), resolving what a
curator names and checking signatures (:mod:`.names`), and the operations themselves with
their log (:mod:`.operations`); each module imports only the ones listed before it
(``names`` only ``records``). It may import ``kg.errors``, ``kg.model``, ``kg.namespaces``
and ``ontology``; never ``kg.store`` or a backend, which import it to project what they
write: a store is typed as :class:`CurationStore`, the part of ``kg.store.Store`` it uses.
Callers import from ``kg.curation``, which re-exports every name below.
"""

from __future__ import annotations

from kg.curation.apply import Change, apply_operation, curator_name, new_operation, store_lock
from kg.curation.names import (
    check_signature,
    entity_types,
    merged_into,
    resolve_entity,
    resolve_predicate,
    signatures,
    statement_node,
)
from kg.curation.operations import (
    OPERATIONS,
    _new_sources,
    add_relation,
    entity_op,
    log,
    merge,
    split,
    undo,
    verdict,
)
from kg.curation.projection import (
    GraphName,
    Subject,
    data_block,
    derived,
    drop_deletes,
    graph_block,
    project,
    reproject_all,
)
from kg.curation.records import (
    CURATION_GRAPH,
    CURATOR_PREFIX,
    OP_PREFIX,
    OP_TYPES,
    P_ADDED,
    P_ALIAS,
    P_ENTITY,
    P_INTO,
    P_LABEL,
    P_MERGED,
    P_NEWTYPE,
    P_OBJECT,
    P_PREDICATE,
    P_REASON,
    P_STATEMENT,
    P_SUBJECT,
    P_UNDOES,
    P_WIKIDATA,
    CurationError,
    CurationState,
    CurationStore,
    Operation,
    operations_from_quads,
    read_state,
    state_from_operations,
)

__all__ = [
    "CURATION_GRAPH",
    "CURATOR_PREFIX",
    "OPERATIONS",
    "OP_PREFIX",
    "OP_TYPES",
    "P_ADDED",
    "P_ALIAS",
    "P_ENTITY",
    "P_INTO",
    "P_LABEL",
    "P_MERGED",
    "P_NEWTYPE",
    "P_OBJECT",
    "P_PREDICATE",
    "P_REASON",
    "P_STATEMENT",
    "P_SUBJECT",
    "P_UNDOES",
    "P_WIKIDATA",
    "Change",
    "CurationError",
    "CurationState",
    "CurationStore",
    "GraphName",
    "Operation",
    "Subject",
    "_new_sources",
    "add_relation",
    "apply_operation",
    "check_signature",
    "curator_name",
    "data_block",
    "derived",
    "drop_deletes",
    "entity_op",
    "entity_types",
    "graph_block",
    "log",
    "merge",
    "merged_into",
    "new_operation",
    "operations_from_quads",
    "project",
    "read_state",
    "reproject_all",
    "resolve_entity",
    "resolve_predicate",
    "signatures",
    "split",
    "state_from_operations",
    "statement_node",
    "store_lock",
    "undo",
    "verdict",
]
