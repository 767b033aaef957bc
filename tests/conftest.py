"""Test-suite settings: headless plotting, hypothesis profile for a 2-core CI machine."""

import os

os.environ.setdefault("MPLBACKEND", "Agg")

from hypothesis import HealthCheck, settings

settings.register_profile(
    "ci",
    max_examples=100,
    deadline=None,
    derandomize=True,  # CI must not pass or fail by the luck of the draw
    suppress_health_check=[HealthCheck.too_slow],
)
settings.load_profile("ci")
