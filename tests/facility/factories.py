"""Factories for the facility catalogue."""

from __future__ import annotations

from types import SimpleNamespace

import factory

from akari.facility.models import (
    Beamline,
    BeamlinePolicyArea,
    EndStation,
    Facility,
    PolicyArea,
)
from akari.policies.models import Programme


class FacilityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Facility
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"facility{n}")
    name_ja = factory.Sequence(lambda n: f"施設{n}")
    name_en = factory.Sequence(lambda n: f"Facility {n}")


class PolicyAreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PolicyArea
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"area{n}")
    name_ja = factory.Sequence(lambda n: f"政策領域{n}")
    name_en = factory.Sequence(lambda n: f"Policy area {n}")
    order = factory.Sequence(lambda n: n)


class BeamlineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Beamline

    facility = factory.SubFactory(FacilityFactory)
    code = factory.Sequence(lambda n: f"BL{n:02d}X")
    name_ja = factory.Sequence(lambda n: f"ビームライン{n}")
    name_en = factory.Sequence(lambda n: f"Beamline {n}")
    technique_ja = "軟X線吸収分光"
    technique_en = "Soft X-ray absorption spectroscopy"
    functions_ja = "化学状態"
    functions_en = "Chemical state"
    access_scheme = Beamline.AccessScheme.SHARED
    operator = "QST"
    status = Beamline.Status.OPERATING


class BeamlinePolicyAreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BeamlinePolicyArea

    beamline = factory.SubFactory(BeamlineFactory)
    policy_area = factory.SubFactory(PolicyAreaFactory)
    applications_ja = "ナノ粒子"
    applications_en = "Nanoparticles"


class EndStationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EndStation

    beamline = factory.SubFactory(BeamlineFactory)
    code = factory.Sequence(lambda n: f"ES{n}")
    name_ja = factory.Sequence(lambda n: f"測定装置{n}")
    name_en = factory.Sequence(lambda n: f"End station {n}")


def make_programme(facility: Facility, code: str, beamlines: list[Beamline]) -> Programme:
    """A programme of the policies app offering ``beamlines``."""
    programme = Programme.objects.create(
        facility=facility,
        code=code,
        name_ja=f"{code}利用",
        name_en=f"{code} programme",
        operator_ja="運営者",
        operator_en="Operator",
    )
    programme.beamlines.set(beamlines)
    return programme


def grow_catalogue(catalogue: SimpleNamespace, count: int) -> None:
    """More beamlines, each with a policy area, an end station and a programme."""
    area = PolicyAreaFactory()
    for _ in range(count):
        beamline = BeamlineFactory(facility=catalogue.rixs.facility)
        BeamlinePolicyAreaFactory(beamline=beamline, policy_area=area)
        EndStationFactory(beamline=beamline)
        catalogue.shared.beamlines.add(beamline)
