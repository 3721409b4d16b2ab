#!/usr/bin/env python3
"""Counts for README_c15.md: python training/corpus/stats_c15.py"""
from blocks import stats

stats("c15")
