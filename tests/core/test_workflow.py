"""transition(): allowed moves, illegal moves, the audit row, nothing saved on failure."""

import datetime as dt

import pytest
from django.db import IntegrityError, transaction

from akari.core import clock
from akari.core.models import StatusEvent
from akari.core.workflow import IllegalTransition, allowed_targets, history, transition
from akari.facility.models import Beamline, Facility

Status = Beamline.Status
ALL_PAIRS = [(a, b) for a in Status for b in Status if a != b]
ALLOWED = {(a, b) for a, targets in Beamline.TRANSITIONS.items() for b in targets}


@pytest.fixture
def beamline(db):
    facility = Facility.objects.create(code="nt", name_ja="ナノテラス", name_en="NanoTerasu")
    return Beamline.objects.create(
        facility=facility,
        code="BL02U",
        name_ja="軟X線RIXS",
        name_en="Soft X-ray RIXS",
        technique_ja="共鳴非弾性散乱",
        technique_en="RIXS",
        access_scheme=Beamline.AccessScheme.SHARED,
        operator="QST",
        status=Status.COMMISSIONING,
    )


@pytest.mark.parametrize(("source", "target"), ALL_PAIRS)
def test_every_pair_is_allowed_exactly_when_the_table_says_so(beamline, user, source, target):
    Beamline.objects.filter(pk=beamline.pk).update(status=source)
    beamline.refresh_from_db()
    if (source, target) in ALLOWED:
        transition(beamline, target, actor=user, reason="planned")
        beamline.refresh_from_db()
        assert beamline.status == target
        event = StatusEvent.objects.get()
        assert (event.from_status, event.to_status) == (source, target)
    else:
        with pytest.raises(IllegalTransition):
            transition(beamline, target, actor=user)
        beamline.refresh_from_db()
        assert beamline.status == source
        assert StatusEvent.objects.count() == 0


def test_audit_row_records_actor_reason_and_clock_time(beamline, user):
    instant = dt.datetime(2026, 5, 1, 10, 30, tzinfo=clock.TOKYO)
    with clock.frozen(instant):
        transition(beamline, Status.OPERATING, actor=user, reason="Commissioning finished")
    event = history(beamline).get()
    assert event.actor == user
    assert event.reason == "Commissioning finished"
    assert event.at == instant
    assert event.field == "status"
    assert event.object_id == str(beamline.pk)


def test_the_database_status_decides_not_a_stale_instance(beamline, user):
    stale = Beamline.objects.get(pk=beamline.pk)
    transition(beamline, Status.OPERATING, actor=user)
    transition(beamline, Status.RETIRED, actor=user)
    # `stale` still says commissioning; commissioning -> operating would be legal, but the row
    # is retired now, and retired allows nothing.
    with pytest.raises(IllegalTransition):
        transition(stale, Status.OPERATING, actor=user)
    assert Beamline.objects.get(pk=beamline.pk).status == Status.RETIRED
    assert StatusEvent.objects.count() == 2


def test_illegal_transition_message_is_translated(beamline, user):
    from django.utils import translation

    with translation.override("en"), pytest.raises(IllegalTransition) as english:
        transition(beamline, Status.PAUSED, actor=user)
    assert "cannot go from “Commissioning” to “Temporarily closed”" in english.value.messages[0]
    with translation.override("ja"):
        source, target = str(Status.COMMISSIONING.label), str(Status.PAUSED.label)
        with pytest.raises(IllegalTransition) as japanese:
            transition(beamline, Status.PAUSED, actor=user)
    message = japanese.value.messages[0]
    assert source != "Commissioning"  # the label itself is translated
    assert f"「{source}」から「{target}」" in message


def test_only_changed_fields_are_saved(beamline, user):
    # A concurrent edit of another field must survive the transition.
    Beamline.objects.filter(pk=beamline.pk).update(name_en="Renamed elsewhere")
    transition(beamline, Status.OPERATING, actor=user)
    beamline.refresh_from_db()
    assert beamline.name_en == "Renamed elsewhere"
    assert beamline.status == Status.OPERATING


def test_failure_inside_the_transaction_leaves_nothing(beamline, user):
    with pytest.raises(IntegrityError), transaction.atomic():
        transition(beamline, Status.OPERATING, actor=user)
        Facility.objects.create(code="nt", name_ja="重複", name_en="Duplicate")
    beamline.refresh_from_db()
    assert beamline.status == Status.COMMISSIONING
    assert StatusEvent.objects.count() == 0


def test_anonymous_actor_is_recorded_as_system(beamline):
    from django.contrib.auth.models import AnonymousUser

    transition(beamline, Status.OPERATING, actor=AnonymousUser())
    assert StatusEvent.objects.get().actor is None


def test_allowed_targets_reads_the_table():
    assert allowed_targets(Beamline, Status.OPERATING) == {"paused", "retired"}
    assert allowed_targets(Beamline, Status.RETIRED) == set()
