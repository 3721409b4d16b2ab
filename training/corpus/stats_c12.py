#!/usr/bin/env python3
"""Counts for README_c12.md: python training/corpus/stats_c12.py"""
from blocks import stats

stats("c12")
