"""The aikg web app: SPARQL 1.1 Protocol endpoint, REST API and HTML pages.

Build it with :func:`api.app.create_app`; nothing is created at import time.
"""
