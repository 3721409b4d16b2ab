"""aikg's graph library: model, ontology mapping, store, queries, analytics, exports, pages' data.

Owns: the data model (:mod:`kg.model`), the store and its backends (:mod:`kg.store`,
:mod:`kg.remote`, :mod:`kg.engines`, chosen by :func:`kg.backend.open_store`), RDF
mapping and loading, named queries, analytics, curation, validation and exports.

May import: the standard library, third-party packages and :mod:`ontology`; nothing
else of ours (``make lint`` checks it with import-linter). The version of the whole
distribution is written here, once.
"""

__version__ = "0.3.0"
