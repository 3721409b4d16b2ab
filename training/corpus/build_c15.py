#!/usr/bin/env python3
"""Build training/corpus/c15-batch-NN.jsonl from src_c15/batch-NN.txt (format: blocks.py).

Every c15 passage is about invented entities only; it teaches the appositive, possessive and nominal forms of supplying, using, competing, disputing and partnering.
"""
from blocks import build

build("c15")
