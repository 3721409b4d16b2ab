#!/usr/bin/env python3
"""Build training/corpus/c13-batch-NN.jsonl from src_c13/batch-NN.txt (format: blocks.py).

Every c13 passage is about invented entities only, so none can retell a test set's event.
"""
from blocks import build

build("c13")
