"""The aikg web app: SPARQL 1.1 Protocol endpoint, REST API and HTML pages.

Build it with :func:`api.app.create_app`; nothing is created at import time. Owns the
HTTP layer (routes, settings, error mapping, the MCP server) and the watch rounds that
``aikg watch`` and ``aikg serve --watch`` share (:mod:`api.watch`).

May import: :mod:`kg`, :mod:`ingest` and :mod:`ontology`; never :mod:`aikg`.
"""
