"""block_occupy_for_experiment: the hot path's block + experiment in the caller's transaction."""

from __future__ import annotations

import pytest
from django.db import transaction

from akari.beamtime.models import Block, Experiment
from akari.beamtime.services import BeamtimeConflict, block_occupy_for_experiment
from akari.core.models import AuditEvent
from tests.beamtime.factories import at
from tests.facility.factories import BeamlineFactory
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _occupy(beamline, lead, start, end):  # type: ignore[no-untyped-def]
    return block_occupy_for_experiment(
        beamline=beamline,
        start=start,
        end=end,
        kind=Block.Kind.BOOKING,
        actor=lead,
        programme="nanoterasu-coalition",
        route="basic",
        reference=lambda block: f"X-{block.pk}",
        lead=lead,
        proprietary=True,
    )


def test_it_writes_the_block_the_experiment_and_the_audit_row() -> None:
    beamline, lead = BeamlineFactory(), UserFactory()
    with transaction.atomic():
        experiment = _occupy(beamline, lead, at(2026, 12, 1, 9), at(2026, 12, 1, 12))
    assert experiment.reference == f"X-{experiment.block_id}"
    assert experiment.block.kind == Block.Kind.BOOKING and experiment.proprietary
    assert AuditEvent.objects.filter(action="beamtime.experiment_created").count() == 1


def test_a_taken_interval_raises_and_the_callers_transaction_rolls_back() -> None:
    beamline, lead = BeamlineFactory(), UserFactory()
    with transaction.atomic():
        _occupy(beamline, lead, at(2026, 12, 1, 9), at(2026, 12, 1, 12))
    with pytest.raises(BeamtimeConflict), transaction.atomic():
        _occupy(beamline, lead, at(2026, 12, 1, 11), at(2026, 12, 1, 13))
    assert Experiment.objects.count() == 1 and Block.objects.count() == 1
