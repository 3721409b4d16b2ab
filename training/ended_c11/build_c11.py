#!/usr/bin/env python3
"""Build c11-batch-NN.jsonl from src_c11/batch-NN.txt with build_c8.py's builder.

The source notation is build_c8.py's (training/ended/build_c8.py, its docstring); only the
id prefix (c11-NNNN) and the folder differ. Run ``python training/ended_c11/build_c11.py``
after editing a source, then ``python training/corpus/check_corpus.py training/ended_c11/*.jsonl``.
"""
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "ended"))

from build_c8 import build  # noqa: E402  (the same compact format; only the prefix differs)

if __name__ == "__main__":
    build(HERE, "c11")
