"""Compiled kernels, imported lazily by the units layer (never by orbits.core)."""
