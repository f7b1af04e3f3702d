"""A beamline's status: every allowed and every illegal move, through the service and the admin."""

from __future__ import annotations

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import translation

from akari.core.models import StatusEvent
from akari.core.workflow import IllegalTransition
from akari.facility.models import Beamline
from akari.facility.services import beamline_set_status
from tests.facility.factories import BeamlineFactory

pytestmark = pytest.mark.django_db

S = Beamline.Status
ALLOWED = [
    (S.COMMISSIONING, S.OPERATING),
    (S.COMMISSIONING, S.RETIRED),
    (S.OPERATING, S.PAUSED),
    (S.OPERATING, S.RETIRED),
    (S.PAUSED, S.OPERATING),
    (S.PAUSED, S.RETIRED),
]
ILLEGAL = [(a, b) for a in S for b in S if (a, b) not in ALLOWED]


def events_of(beamline: Beamline) -> list[StatusEvent]:
    return list(
        StatusEvent.objects.filter(
            content_type=ContentType.objects.get_for_model(Beamline), object_id=str(beamline.pk)
        )
    )


def test_the_tables_cover_every_pair():
    assert len(ALLOWED) + len(ILLEGAL) == len(S) ** 2 == 16


@pytest.mark.parametrize(("start", "to"), ALLOWED)
def test_allowed_move_changes_status_and_records_actor_and_reason(frozen_clock, user, start, to):
    beamline = BeamlineFactory(status=start)

    returned = beamline_set_status(beamline=beamline, status=to, actor=user, reason="Planned")

    assert returned.status == to
    assert beamline.status == to
    assert Beamline.objects.get(pk=beamline.pk).status == to
    [event] = events_of(beamline)
    assert (event.from_status, event.to_status) == (start, to)
    assert event.actor == user
    assert event.reason == "Planned"
    assert event.at == frozen_clock


@pytest.mark.parametrize(("start", "to"), ILLEGAL)
def test_illegal_move_is_refused_and_changes_nothing(user, start, to):
    beamline = BeamlineFactory(status=start)
    stamp = Beamline.objects.get(pk=beamline.pk).updated_at

    with pytest.raises(IllegalTransition) as refused:
        beamline_set_status(beamline=beamline, status=to, actor=user, reason="Try")

    assert refused.value.code == "illegal_transition"
    assert Beamline.objects.get(pk=beamline.pk).status == start
    assert Beamline.objects.get(pk=beamline.pk).updated_at == stamp
    assert beamline.status == start
    assert events_of(beamline) == []


def test_illegal_move_message_names_both_statuses(user):
    beamline = BeamlineFactory(status=S.RETIRED)

    with translation.override("en"), pytest.raises(IllegalTransition) as refused:
        beamline_set_status(beamline=beamline, status=S.OPERATING, actor=user, reason="")

    assert refused.value.messages == ["A beamline cannot go from “Retired” to “In operation”."]


def test_status_is_read_from_the_database_not_a_stale_instance(user):
    beamline = BeamlineFactory(status=S.OPERATING)
    stale = Beamline.objects.get(pk=beamline.pk)
    beamline_set_status(beamline=beamline, status=S.RETIRED, actor=user, reason="Closed")

    with pytest.raises(IllegalTransition):
        beamline_set_status(beamline=stale, status=S.PAUSED, actor=user, reason="Late")

    assert Beamline.objects.get(pk=beamline.pk).status == S.RETIRED
    assert len(events_of(beamline)) == 1


# --- Admin actions ------------------------------------------------------------------------------


def run_action(client, action: str, beamlines: list[Beamline], reason: str | None):
    data = {"action": action, "_selected_action": [b.pk for b in beamlines]}
    if reason is None:
        data["index"] = "0"  # first step, from the change list
    else:
        data.update({"apply": "yes", "reason": reason})
    return client.post(reverse("admin:facility_beamline_changelist"), data, follow=True)


def test_admin_action_first_asks_for_a_reason(staff_client):
    beamline = BeamlineFactory(status=S.OPERATING)

    response = run_action(staff_client, "mark_paused", [beamline], reason=None)

    assert response.status_code == 200
    assert "admin/facility/beamline/status_change.html" in [t.name for t in response.templates]
    assert Beamline.objects.get(pk=beamline.pk).status == S.OPERATING


def test_admin_action_without_reason_is_asked_again(staff_client):
    beamline = BeamlineFactory(status=S.OPERATING)

    response = run_action(staff_client, "mark_paused", [beamline], reason="")

    assert "This field is required." in response.content.decode()
    assert Beamline.objects.get(pk=beamline.pk).status == S.OPERATING
    assert events_of(beamline) == []


@pytest.mark.parametrize(
    ("action", "start", "to"),
    [
        ("mark_operating", S.PAUSED, S.OPERATING),
        ("mark_paused", S.OPERATING, S.PAUSED),
        ("mark_retired", S.COMMISSIONING, S.RETIRED),
    ],
)
def test_admin_action_moves_the_beamline_through_the_service(staff_client, action, start, to):
    beamline = BeamlineFactory(status=start)

    response = run_action(staff_client, action, [beamline], reason="Vacuum leak fixed")

    assert Beamline.objects.get(pk=beamline.pk).status == to
    [event] = events_of(beamline)
    assert (event.actor, event.reason) == (staff_client.person, "Vacuum leak fixed")
    messages = [str(m) for m in response.context["messages"]]
    assert messages == [f"1 beamline is now “{to.label}”."]


def test_admin_action_shows_the_refusal_and_moves_the_others(staff_client):
    retired = BeamlineFactory(status=S.RETIRED, code="BL01A")
    paused = BeamlineFactory(status=S.PAUSED, code="BL02A")

    response = run_action(staff_client, "mark_operating", [retired, paused], reason="Back")

    messages = [str(m) for m in response.context["messages"]]
    assert messages == [
        "BL01A: A beamline cannot go from “Retired” to “In operation”.",
        "1 beamline is now “In operation”.",
    ]
    assert Beamline.objects.get(pk=retired.pk).status == S.RETIRED
    assert events_of(retired) == []
    assert Beamline.objects.get(pk=paused.pk).status == S.OPERATING


def test_admin_change_form_shows_status_read_only_with_history(staff_client, user):
    beamline = BeamlineFactory(status=S.OPERATING)
    beamline_set_status(beamline=beamline, status=S.PAUSED, actor=user, reason="Bake-out")

    response = staff_client.get(reverse("admin:facility_beamline_change", args=[beamline.pk]))

    assert response.status_code == 200
    body = response.content.decode()
    assert 'name="status"' not in body
    assert "Bake-out" in body
    assert "In operation → Temporarily closed" in body


@pytest.mark.parametrize(
    "name",
    ["facility", "policyarea", "beamline", "endstation"],
)
def test_admin_pages_open(staff_client, name):
    BeamlineFactory()
    for view in ("changelist", "add"):
        response = staff_client.get(reverse(f"admin:facility_{name}_{view}"))
        assert response.status_code == 200, (name, view)
