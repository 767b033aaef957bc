"""Comparisons, one module per pairing."""
