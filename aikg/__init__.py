"""aikg: an open knowledge graph of the AI industry; this package is its command line.

Owns: the ``aikg`` command (:mod:`aikg.cli` and its ``cli_*`` modules), the drivers that
join the layers (:mod:`aikg.ingest_run` for ``aikg ingest``, :mod:`aikg.watch`,
:mod:`aikg.cluster` for Dask workers) and ``python -m aikg``.

May import: everything: :mod:`api`, :mod:`ingest`, :mod:`kg` and :mod:`ontology`, which
must never import it (docs/ARCHITECTURE.md draws the layers).
"""

from kg import __version__

__all__ = ["__version__", "main"]


def main() -> None:
    """Run the ``aikg`` command line (the console script and ``python -m aikg``)."""
    from aikg.cli import main as cli_main

    cli_main()
