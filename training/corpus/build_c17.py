#!/usr/bin/env python3
"""Build training/corpus/c17-batch-NN.jsonl from src_c17/batch-NN.txt (format: blocks.py).

Every c17 passage is about invented entities only; it teaches using and making as news says
them in passing ("its X-powered assistant", "packed with X chips", "a Y browser"), company
names that open a sentence with their verb, rivals, disputes, supply deals and partnership
frames, with their traps.
"""
from blocks import build

build("c17")
