"""Run :func:`ingest.knowledgenet.cli.main` (``python -m ingest.knowledgenet``)."""

from ingest.knowledgenet.cli import main

raise SystemExit(main())
