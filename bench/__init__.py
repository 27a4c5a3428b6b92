"""Benchmarks: printed figures and side-by-side ratios, never timed tests."""
