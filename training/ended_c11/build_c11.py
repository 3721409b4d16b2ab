#!/usr/bin/env python3
"""Build c11-batch-NN.jsonl from src_c11/batch-NN.txt (compact block format).

Block:  @ style | title | YYYY-MM-DD
        text (one or more lines)
        E name | O/P/M/R | alias; alias
        R subject predicate object [+h] [+p] [# note]
        N subject predicate object [# note]
Blocks are separated by blank lines; ids (c11-NNNN) are assigned in order across batches.
``+p`` marks a relation stated as over (past), ``+h`` one that is reported or planned.
Run ``python training/ended_c11/build_c11.py`` after editing a source, then
``python training/corpus/check_corpus.py training/ended_c11/*.jsonl``.
"""
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "ended"))

from build_c8 import build  # noqa: E402  (the same compact format; only the prefix differs)

if __name__ == "__main__":
    build(HERE, "c11")
