"""Facility rows the policy packs refer to (the facility app's data is not loaded in tests)."""

from __future__ import annotations

from akari.facility.models import Facility
from tests.facility.factories import BeamlineFactory, FacilityFactory

# Beamline codes the three shipped packs offer, by facility.
PACK_BEAMLINES = {
    "spring8": ["BL01B1", "BL02B1", "BL04B2", "BL14B2", "BL19B2", "BL40XU", "BL46XU"],
    "nanoterasu": [
        "BL02U",
        "BL06U",
        "BL13U",
        "BL07U",
        "BL08W",
        "BL08U",
        "BL09W",
        "BL09U",
        "BL10U",
        "BL14U",
    ],
}


def pack_catalogue() -> dict[str, Facility]:
    """SPring-8 and NanoTerasu with every beamline the shipped packs offer."""
    facilities = {}
    for code, beamlines in PACK_BEAMLINES.items():
        facility = FacilityFactory(code=code)
        for beamline in beamlines:
            BeamlineFactory(facility=facility, code=beamline)
        facilities[code] = facility
    return facilities
