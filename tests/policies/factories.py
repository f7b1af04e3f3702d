"""Facility rows the policy packs refer to (the facility app's data is not loaded in tests)."""

from __future__ import annotations

import factory

from akari.facility.models import Beamline, Facility

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


class FacilityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Facility
        django_get_or_create = ["code"]

    code = factory.Sequence(lambda n: f"facility-{n}")
    name_ja = factory.LazyAttribute(lambda o: f"施設 {o.code}")
    name_en = factory.LazyAttribute(lambda o: f"Facility {o.code}")


class BeamlineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Beamline

    facility = factory.SubFactory(FacilityFactory)
    code = factory.Sequence(lambda n: f"BL{n:02d}X")
    name_ja = factory.LazyAttribute(lambda o: f"ビームライン {o.code}")
    name_en = factory.LazyAttribute(lambda o: f"Beamline {o.code}")
    technique_ja = "軟X線分光"
    technique_en = "Soft X-ray spectroscopy"
    access_scheme = Beamline.AccessScheme.SHARED
    operator = "QST"


def pack_catalogue() -> dict[str, Facility]:
    """SPring-8 and NanoTerasu with every beamline the shipped packs offer."""
    facilities = {}
    for code, beamlines in PACK_BEAMLINES.items():
        facility = FacilityFactory(code=code)
        for beamline in beamlines:
            BeamlineFactory(facility=facility, code=beamline)
        facilities[code] = facility
    return facilities
