#!/usr/bin/env python3
"""Build training/corpus/c12-batch-NN.jsonl from src_c12/batch-NN.txt (format: blocks.py).

Passages listed in excluded_c12.txt retell an event a test set tells: kept in the source,
never built.
"""
import os

from blocks import HERE, build

EXCLUDED = {l.split("|")[0].strip() for l in open(os.path.join(HERE, "excluded_c12.txt"), encoding="utf-8")
            if l.strip() and not l.startswith("#")}
build("c12", EXCLUDED)
