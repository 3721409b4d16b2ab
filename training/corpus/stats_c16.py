#!/usr/bin/env python3
"""Counts for README_c16.md: python training/corpus/stats_c16.py"""
from blocks import stats

stats("c16")
