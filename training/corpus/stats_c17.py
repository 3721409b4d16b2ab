#!/usr/bin/env python3
"""Counts for README_c17.md: python training/corpus/stats_c17.py"""
from blocks import stats

stats("c17")
