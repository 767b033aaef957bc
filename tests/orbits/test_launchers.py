"""Launcher payloads to a lunar trajectory: published figures only."""

import pytest
from astropy import units as u

from orbits.errors import ArgumentError, ArgumentTypeError, NotFoundError
from orbits.launchers import launcher_capabilities, payload_to

C3 = u.km**2 / u.s**2


def test_long_march_5_to_tli():
    # China Daily, 2019-12-27: "an 8-ton probe to an Earth-moon transfer orbit"
    p = payload_to("Long March 5")
    assert p.mass.to_value(u.kg) == 8000.0
    assert "China Daily" in p.source
    assert payload_to("LM-5").mass == p.mass  # alias


def test_long_march_10_to_tli():
    # SCMP, 2025-08: "27 tonnes to a trans-lunar orbit"
    assert payload_to("long-march-10").mass.to_value(u.t) == pytest.approx(27.0)


def test_long_march_3b_at_its_published_c3_only():
    # Wikipedia (2008 revision) 'Payload to HCO 3,300 kilograms' -> escape, C3 = 0
    assert payload_to("LM-3B", c3=0 * C3).mass.to_value(u.kg) == 3300.0
    with pytest.raises(ArgumentError, match=r"c3 = -2 km2/s2 is outside the published C3"):
        payload_to("LM-3B", c3=-2 * C3)
    with pytest.raises(NotFoundError, match="C3 = 0"):
        payload_to("LM-3B")  # no TLI figure, but says what is published


def test_nothing_published_says_so():
    # Soyuz-2.1b/Fregat: only Luna-25's flown 1,750 kg (Wikipedia 'Luna 25')
    with pytest.raises(NotFoundError, match=r"No published.*1,750 kg"):
        payload_to("Soyuz-2.1b/Fregat")
    with pytest.raises(NotFoundError, match="Angara"):
        payload_to("Angara-A5")
    with pytest.raises(NotFoundError, match=r"Long March 8.*1,200 kg"):
        payload_to("Long March 8")
    with pytest.raises(NotFoundError, match="versus-C3|No published"):
        payload_to("Long March 5", c3=-2 * C3)


def test_bad_input():
    with pytest.raises(NotFoundError, match="did you mean 'Long March 5'"):
        payload_to("Long March 55")
    with pytest.raises(ArgumentTypeError, match="vehicle"):
        payload_to(5)
    with pytest.raises(ArgumentTypeError, match="c3"):
        payload_to("LM-3B", c3=0.0)


def test_capability_table_lists_every_vehicle():
    t = launcher_capabilities()
    names = set(t.vehicle.tolist())
    assert {"Long March 3B", "Long March 5", "Soyuz-2.1b/Fregat", "Angara-A5",
            "Long March 8", "Long March 10"} <= names
    none = set(t.vehicle[t.kind == "none published"].tolist())
    assert none == {"Soyuz-2.1b/Fregat", "Angara-A5", "Long March 8"}
    assert len(t.to_table()) == len(t)
    assert "vehicles" in repr(t)


def test_interpolates_only_between_two_published_points(monkeypatch):
    # A made-up two-point table (not data): the mass halfway in C3 is the mean of the two.
    import orbits.launchers as L

    pts = (L._Point("capability", "C3", 1000.0, "x", "a", c3=-2.0),
           L._Point("capability", "C3", 800.0, "x", "b", c3=2.0))
    fake = {"v": L._Vehicle("v", "Test vehicle", (), pts)}
    monkeypatch.setattr(L, "_vehicles", lambda: fake)
    p = L.payload_to("Test vehicle", c3=0 * C3)
    assert p.mass.to_value(u.kg) == pytest.approx(900.0) and p.interpolated
    with pytest.raises(ArgumentError, match=r"\[-2, 2\]"):
        L.payload_to("Test vehicle", c3=3 * C3)
