"""One graph-store API over an on-disk Oxigraph store or any SPARQL 1.1 server.

Both stores keep the same layout: one named graph per article, and the default graph
holding the union of all named graphs (set semantics, so plain SPARQL sees each
triple once). Every write of an article batch is one transaction: one ``extend`` (only
inserts) or one SPARQL update request (drops and inserts together).


The package: :mod:`.formats` (RDF serializations and parsing), :mod:`.query_text` (SPARQL
text before it runs), :mod:`.protocol` (the ``Store`` protocol and helpers typed against
it), :mod:`.union` (the layout on write: graphs, lines, the union-keeping update),
:mod:`.local` (``LocalStore``). Every name is importable from ``kg.store`` as before.
"""

from kg.store.formats import QUAD_FORMATS as QUAD_FORMATS
from kg.store.formats import RDF_FORMATS as RDF_FORMATS
from kg.store.formats import parse_rdf as parse_rdf
from kg.store.formats import rdf_format as rdf_format
from kg.store.local import ATOMIC_BULK_QUADS as ATOMIC_BULK_QUADS
from kg.store.local import BULK_MARKER as BULK_MARKER
from kg.store.local import LocalStore as LocalStore
from kg.store.protocol import DEFAULT_STORE as DEFAULT_STORE
from kg.store.protocol import QueryForms as QueryForms
from kg.store.protocol import QueryResult as QueryResult
from kg.store.protocol import Store as Store
from kg.store.protocol import count as count
from kg.store.protocol import is_remote as is_remote
from kg.store.protocol import iter_solutions as iter_solutions
from kg.store.protocol import resolve_location as resolve_location
from kg.store.query_text import _SKIP as _SKIP
from kg.store.query_text import MAX_NESTING as MAX_NESTING
from kg.store.query_text import bind_values as bind_values
from kg.store.query_text import check_query as check_query
from kg.store.query_text import term_sparql as term_sparql
from kg.store.union import group_by_graph as group_by_graph
from kg.store.union import triple_lines as triple_lines
from kg.store.union import union_update as union_update
