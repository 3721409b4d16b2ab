#!/usr/bin/env python3
"""Build training/corpus/c16-batch-NN.jsonl from src_c16/batch-NN.txt (format: blocks.py).

Every c16 passage is about invented entities only; it teaches quoted first-person statements (a speaker speaking for a company) and the verbal and nominal forms of supplying, using, competing, disputing, partnering and owning that news uses, with their traps.
"""
from blocks import build

build("c16")
