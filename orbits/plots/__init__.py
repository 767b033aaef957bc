"""Matplotlib figures. Every function takes data and returns a ``Figure``; none calls ``show``."""
