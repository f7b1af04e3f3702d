"""Calls: the policy's timeline pre-fills the dates, staff change them, open and close."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from akari.core import clock
from akari.core.models import AuditEvent
from akari.facility.models import Beamline
from akari.policies.models import Programme
from akari.proposals import services
from akari.proposals.models import Call, Proposal
from akari.proposals.timeline import default_timeline, months_before
from tests.proposals.factories import ProposalFactory, submitted_proposal

pytestmark = pytest.mark.django_db

TOKYO = clock.TOKYO


def beamlines(*codes: str, units: int = 30) -> dict[Beamline, int]:
    return {Beamline.objects.get(code=code): units for code in codes}


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (dt.date(2026, 10, 1), Decimal(5), dt.date(2026, 5, 1)),
        (dt.date(2026, 10, 1), Decimal("1.5"), dt.date(2026, 8, 17)),
        (dt.date(2026, 3, 31), Decimal(1), dt.date(2026, 2, 28)),
        (dt.date(2027, 1, 15), Decimal(2), dt.date(2026, 11, 15)),
    ],
)
def test_months_before(day, months, expected):
    assert months_before(day, months) == expected


def test_spring8_timeline_for_a_period_from_october(packs, user):
    programme = Programme.objects.get(code="spring8")

    call = services.call_create(
        programme=programme,
        code="2026B",
        title_ja="2026B期",
        title_en="2026B",
        period_start=dt.date(2026, 10, 1),
        period_end=dt.date(2027, 2, 28),
        beamlines=beamlines("BL01B1", "BL14B2"),
        actor=user,
    )

    assert call.status == Call.Status.DRAFT
    assert call.opens_at == clock.now()
    assert call.closes_at == dt.datetime(2026, 4, 17, 17, 0, tzinfo=TOKYO)
    assert call.technical_review_due == dt.date(2026, 4, 24)
    assert call.peer_review_due == dt.date(2026, 5, 1)
    assert call.committee_date == dt.date(2026, 5, 15)
    assert call.notification_date == dt.date(2026, 8, 17)
    assert call.policy_version.programme == programme
    assert sorted(call.routes.values_list("code", flat=True)) == [
        "graduate_student",
        "normal",
        "priority",
        "proprietary_normal",
    ]
    assert dict(call.offered_beamlines.values_list("beamline__code", "units_available")) == {
        "BL01B1": 30,
        "BL14B2": 30,
    }
    assert AuditEvent.objects.filter(action="call.created", object_id=str(call.pk)).exists()


def test_staff_choose_their_own_dates(packs, user):
    deadline = dt.datetime(2026, 5, 8, 12, 0, tzinfo=TOKYO)

    call = services.call_create(
        programme=Programme.objects.get(code="nanoterasu-shared"),
        code="NT2026B",
        title_ja="2026B",
        title_en="2026B",
        period_start=dt.date(2026, 10, 1),
        period_end=dt.date(2027, 3, 31),
        beamlines=beamlines("BL02U"),
        actor=user,
        closes_at=deadline,
        committee_date=dt.date(2026, 7, 1),
    )

    assert (call.closes_at, call.committee_date) == (deadline, dt.date(2026, 7, 1))
    assert call.notification_date == dt.date(2026, 8, 17)  # still the policy's default
    assert sorted(call.routes.values_list("code", flat=True)) == ["general", "proprietary"]


def test_the_anytime_intake_has_no_deadline_and_the_anytime_routes(packs, user):
    call = services.call_create(
        programme=Programme.objects.get(code="spring8"),
        code="2026U",
        kind=Call.Kind.ANYTIME,
        title_ja="随時",
        title_en="Anytime",
        period_start=dt.date(2026, 4, 1),
        period_end=dt.date(2027, 3, 31),
        beamlines=beamlines("BL01B1", units=800),
        actor=user,
    )

    assert (call.closes_at, call.peer_review_due, call.notification_date) == (None, None, None)
    assert sorted(call.routes.values_list("code", flat=True)) == [
        "measurement_service",
        "time_designated",
        "urgent",
    ]


def test_the_default_timeline_follows_the_policy(packs):
    pack = Programme.objects.get(code="spring8").versions.get().pack
    timeline = default_timeline(pack, dt.date(2027, 4, 1))

    assert timeline.peer_review_due == dt.date(2026, 11, 1)
    assert timeline.notification_date == dt.date(2027, 2, 14)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"code": "2026B"}, "Another call already uses the code 2026B."),
        ({"beamlines": "BL02U"}, "BL02U is not a beamline of this programme."),
        ({"period_end": dt.date(2026, 9, 1)}, "The period ends before it starts."),
        (
            {"closes_at": dt.datetime(2026, 3, 1, tzinfo=TOKYO)},
            "The deadline must come after the opening.",
        ),
    ],
)
def test_call_create_refuses(call, user, change, message):
    arguments = {
        "programme": call.programme,
        "code": "2027A",
        "title_ja": "t",
        "title_en": "t",
        "period_start": dt.date(2026, 10, 1),
        "period_end": dt.date(2027, 2, 28),
        "beamlines": beamlines("BL01B1"),
        "actor": user,
    }
    if "beamlines" in change:
        arguments["beamlines"] = beamlines(change.pop("beamlines"))
    arguments |= change
    before = Call.objects.count()

    with pytest.raises(ValidationError) as refused:
        services.call_create(**arguments)

    assert message in refused.value.messages
    assert Call.objects.count() == before


def test_call_open_needs_beamlines(packs, user):
    call = services.call_create(
        programme=Programme.objects.get(code="spring8"),
        code="2026B",
        title_ja="t",
        title_en="t",
        period_start=dt.date(2026, 10, 1),
        period_end=dt.date(2027, 2, 28),
        beamlines={},
        actor=user,
    )

    with pytest.raises(ValidationError, match="Offer at least one beamline"):
        services.call_open(call=call, actor=user)
    call.refresh_from_db()
    assert call.status == Call.Status.DRAFT

    services.call_set_beamlines(call=call, beamlines=beamlines("BL40XU"), actor=user)
    services.call_open(call=call, actor=user)
    assert call.status == Call.Status.OPEN


def test_call_close_sends_submitted_proposals_to_technical_review(call, user):
    submitted = submitted_proposal(call)
    draft = ProposalFactory(call=call)
    withdrawn = submitted_proposal(call)
    services.proposal_withdraw(proposal=withdrawn, actor=withdrawn.created_by, reason="r")

    services.call_close(call=call, actor=user)

    assert call.status == Call.Status.CLOSED
    statuses = dict(Proposal.objects.values_list("pk", "status"))
    assert statuses == {
        submitted.pk: Proposal.Status.TECHNICAL_REVIEW,
        draft.pk: Proposal.Status.DRAFT,
        withdrawn.pk: Proposal.Status.WITHDRAWN,
    }


def test_call_decide_after_closing(call, user):
    services.call_close(call=call, actor=user)

    services.call_decide(call=call, actor=user)

    assert call.status == Call.Status.DECIDED


def test_a_requested_beamline_stays_in_the_offer(call, user):
    submitted_proposal(call, beamlines={"BL14B2": 3})

    with pytest.raises(ValidationError, match="Submitted proposals request BL14B2"):
        services.call_set_beamlines(call=call, beamlines=beamlines("BL01B1"), actor=user)

    assert call.offered_beamlines.count() == 3


def test_staff_move_a_deadline(call, user):
    later = dt.datetime(2026, 4, 24, 17, 0, tzinfo=TOKYO)

    services.call_update(call=call, actor=user, closes_at=later)

    call.refresh_from_db()
    assert call.closes_at == later


# --- Staff pages -----------------------------------------------------------------------------


def test_staff_create_a_call_from_the_form(packs, office, as_user):
    client = as_user(office)
    bl01 = Beamline.objects.get(code="BL01B1")

    response = client.post(
        reverse("proposals:staff_call_create", args=["spring8"]),
        {
            "code": "2026B",
            "kind": "periodic",
            "title_ja": "2026B期 課題募集",
            "title_en": "2026B call",
            "period_start": "2026-10-01",
            "period_end": "2027-02-28",
            f"units_{bl01.pk}": "120",
        },
    )

    call = Call.objects.get(code="2026B")
    assert response.status_code == 302
    assert response["Location"] == reverse("proposals:staff_call", args=[call.pk])
    assert call.closes_at == dt.datetime(2026, 4, 17, 17, 0, tzinfo=TOKYO)
    assert list(call.offered_beamlines.values_list("beamline__code", "units_available")) == [
        ("BL01B1", 120)
    ]


def test_staff_open_and_close_a_call_from_its_page(packs, office, as_user, user):
    client = as_user(office)
    call = services.call_create(
        programme=Programme.objects.get(code="spring8"),
        code="2026B",
        title_ja="t",
        title_en="t",
        period_start=dt.date(2026, 10, 1),
        period_end=dt.date(2027, 2, 28),
        beamlines=beamlines("BL01B1"),
        actor=user,
    )

    client.post(reverse("proposals:staff_call_transition", args=[call.pk, "open"]))
    call.refresh_from_db()
    assert call.status == Call.Status.OPEN
    page = client.get(reverse("proposals:staff_call", args=[call.pk]))
    assert b'data-testid="close-call"' in page.content

    client.post(reverse("proposals:staff_call_transition", args=[call.pk, "close"]))
    call.refresh_from_db()
    assert call.status == Call.Status.CLOSED


def test_staff_edit_dates_and_offer(call, office, as_user):
    client = as_user(office)
    bl01 = Beamline.objects.get(code="BL01B1")
    bl14 = Beamline.objects.get(code="BL14B2")

    response = client.post(
        reverse("proposals:staff_call_edit", args=[call.pk]),
        {
            "title_ja": "新しい名称",
            "title_en": "New title",
            "period_start": "2026-10-01",
            "period_end": "2027-02-28",
            "opens_at": "2026-03-01T10:00",
            "closes_at": "2026-04-30T17:00",
            f"units_{bl01.pk}": "90",
            f"units_{bl14.pk}": "45",
        },
    )

    assert response.status_code == 302
    call.refresh_from_db()
    assert call.title_ja == "新しい名称"
    assert call.closes_at == dt.datetime(2026, 4, 30, 17, 0, tzinfo=TOKYO)
    assert dict(call.offered_beamlines.values_list("beamline__code", "units_available")) == {
        "BL01B1": 90,
        "BL14B2": 45,
    }
