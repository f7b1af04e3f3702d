"""A small NanoTerasu period: one week (21 shifts from 2026-10-01 09:00 JST) of user time on
BL02U with a maintenance day, and accepted proposals with awards on BL02U."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from akari.accounts.roles import Role
from akari.facility.models import Beamline
from akari.proposals.models import BeamlineRequest, Call, Proposal
from akari.scheduling.models import RunSegment, SchedulePeriod
from tests.beamtime.factories import at
from tests.factories import UserFactory
from tests.proposals.factories import CallFactory, ProposalFactory

IMMEDIATE = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def immediate_tasks(settings):  # type: ignore[no-untyped-def]
    settings.TASKS = IMMEDIATE
    settings.AKARI_SCHEDULE_TIME_LIMIT = 2
    settings.AKARI_SCHEDULE_WORKERS = 1


def accepted(call: Call, shifts: int, **kwargs) -> Proposal:  # type: ignore[no-untyped-def]
    proposal = ProposalFactory(call=call, status=Proposal.Status.ACCEPTED, **kwargs)
    BeamlineRequest.objects.filter(proposal=proposal).update(units_awarded=shifts)
    return proposal


@pytest.fixture
def week(db, immediate_tasks):  # type: ignore[no-untyped-def]
    return make_week()


def make_week() -> SimpleNamespace:
    call = CallFactory(
        pack="nanoterasu-shared", status=Call.Status.DECIDED, beamlines={"BL02U": 30}
    )
    beamline = Beamline.objects.get(facility__code="nanoterasu", code="BL02U")
    period = SchedulePeriod.objects.create(
        facility=beamline.facility,
        code="2026X",
        start=at(2026, 10, 1).date(),
        end=at(2026, 10, 7).date(),
    )
    period.calls.add(call)
    RunSegment.objects.create(
        period=period, kind=RunSegment.Kind.USER, start=at(2026, 10, 1, 9), end=at(2026, 10, 4, 9)
    )
    RunSegment.objects.create(
        period=period,
        kind=RunSegment.Kind.MAINTENANCE,
        start=at(2026, 10, 4, 9),
        end=at(2026, 10, 5, 9),
    )
    RunSegment.objects.create(
        period=period, kind=RunSegment.Kind.USER, start=at(2026, 10, 5, 9), end=at(2026, 10, 8, 9)
    )
    first = accepted(call, 6)
    second = accepted(call, 6)
    staff = UserFactory(roles=[Role.USER_OFFICE])
    return SimpleNamespace(
        call=call, beamline=beamline, period=period, first=first, second=second, staff=staff
    )
