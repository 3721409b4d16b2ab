"""aikg: an open knowledge graph of the AI industry.

This package holds the version (the one place it is written) and the entry point of the
``aikg`` command and of ``python -m aikg``. The libraries live beside it: :mod:`kg`
(store, mapping, queries, CLI), :mod:`ingest` (readers, spaCy pipeline), :mod:`api`
(HTTP server and pages) and :mod:`ontology`.
"""

__version__ = "0.3.0"


def main() -> None:
    """Run the ``aikg`` command line (the console script and ``python -m aikg``)."""
    from kg.cli import main as cli_main

    cli_main()
