"""Test-suite settings: headless plotting, an empty user data directory, hypothesis profile
for a 2-core CI machine."""

import os
import tempfile

os.environ.setdefault("MPLBACKEND", "Agg")
# The user's element cache (mission-compare elements update) must not change what the tests
# compute: every test starts from an empty data directory unless it sets its own.
os.environ["MISSION_COMPARE_DATA"] = tempfile.mkdtemp(prefix="mission-compare-tests-")

from hypothesis import HealthCheck, settings

settings.register_profile(
    "ci",
    max_examples=100,
    deadline=None,
    derandomize=True,  # CI must not pass or fail by the luck of the draw
    suppress_health_check=[HealthCheck.too_slow],
)
settings.load_profile("ci")
