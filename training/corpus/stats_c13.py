#!/usr/bin/env python3
"""Counts for README_c13.md: python training/corpus/stats_c13.py"""
from blocks import stats

stats("c13")
