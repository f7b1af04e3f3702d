"""Writing a draft: team, beamline requests, dates, publications, PDF attachments, copies."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from akari.core import clock
from akari.proposals import services
from akari.proposals.models import Attachment, Call, Proposal, TeamMember
from tests.facility.factories import EndStationFactory
from tests.factories import UserFactory
from tests.proposals.factories import CallFactory, ProposalFactory, submitted_proposal

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def pdf(name: str = "plan.pdf", content: bytes = PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


@pytest.fixture(autouse=True)
def media(settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path


def test_anyone_signed_in_starts_a_draft_as_its_pi(call):
    person = UserFactory()

    proposal = services.proposal_create(
        call=call, route=call.routes.get(code="normal"), actor=person
    )

    assert proposal.status == Proposal.Status.DRAFT
    assert list(proposal.team.values_list("person", "role")) == [(person.pk, "pi")]


def test_no_draft_in_a_closed_call(call):
    Call.objects.filter(pk=call.pk).update(status=Call.Status.CLOSED)
    call.refresh_from_db()

    with pytest.raises(ValidationError) as refused:
        services.proposal_create(call=call, route=call.routes.first(), actor=UserFactory())

    assert refused.value.messages == ["This call is not open for submissions."]
    assert not Proposal.objects.exists()


def test_no_draft_with_a_route_of_another_kind(call):
    anytime_route = call.policy_version.routes.get(code="urgent")

    with pytest.raises(ValidationError) as refused:
        services.proposal_create(call=call, route=anytime_route, actor=UserFactory())

    assert refused.value.messages == [
        "The access route “Urgent / special proposal” is not accepted in this call."
    ]


def test_update_saves_any_subset_and_nothing_after_submission(call):
    proposal = ProposalFactory(call=call)

    services.proposal_update(
        proposal=proposal, actor=proposal.created_by, data={"title": "新しい課題名"}
    )
    proposal.refresh_from_db()
    assert proposal.title == "新しい課題名"

    services.proposal_submit(proposal=proposal, actor=proposal.created_by)
    with pytest.raises(ValidationError) as refused:
        services.proposal_update(proposal=proposal, actor=proposal.created_by, data={"title": "x"})
    assert refused.value.messages == [
        "This proposal has been submitted; its content can no longer change."
    ]
    proposal.refresh_from_db()
    assert proposal.title == "新しい課題名"


# --- Team --------------------------------------------------------------------------------------


def test_team_members_are_added_by_the_email_of_their_account(call):
    proposal = ProposalFactory(call=call, team=[])
    colleague = UserFactory(email="Colleague@Example.org")

    member = services.team_member_add(
        proposal=proposal, actor=proposal.created_by, email="colleague@example.org "
    )

    assert (member.person, member.role, member.is_experimenter) == (
        colleague,
        "co_investigator",
        True,
    )


def test_no_account_no_member(call):
    proposal = ProposalFactory(call=call, team=[])

    with pytest.raises(ValidationError) as refused:
        services.team_member_add(
            proposal=proposal, actor=proposal.created_by, email="nobody@example.org"
        )

    assert refused.value.message_dict == {
        "email": [
            "No one has an Akari account with the e-mail address nobody@example.org. Ask them "
            "to sign up first, then add them."
        ]
    }
    assert proposal.team.count() == 1


def test_nobody_is_on_the_team_twice(call):
    colleague = UserFactory()
    proposal = ProposalFactory(call=call, team=[colleague])

    with pytest.raises(ValidationError, match="already on the team"):
        services.team_member_add(
            proposal=proposal, actor=proposal.created_by, email=colleague.email
        )


def test_the_pi_stays_until_someone_else_takes_over(call):
    colleague = UserFactory()
    proposal = ProposalFactory(call=call, team=[colleague])
    pi = proposal.team.get(role=TeamMember.Role.PI)

    with pytest.raises(ValidationError, match="cannot leave"):
        services.team_member_remove(member=pi, actor=proposal.created_by)

    other = proposal.team.get(person=colleague)
    services.team_member_make_pi(member=other, actor=proposal.created_by)
    assert dict(proposal.team.values_list("person", "role")) == {
        colleague.pk: "pi",
        proposal.created_by.pk: "co_investigator",
    }
    services.team_member_remove(
        member=proposal.team.get(person=proposal.created_by), actor=colleague
    )
    assert list(proposal.team.values_list("person", flat=True)) == [colleague.pk]


# --- Beamline requests ---------------------------------------------------------------------


def test_a_request_on_a_beamline_not_offered_is_refused(call):
    proposal = ProposalFactory(call=call, beamlines={})
    not_offered = call.programme.beamlines.get(code="BL46XU")

    with pytest.raises(ValidationError) as refused:
        services.beamline_request_save(
            proposal=proposal,
            actor=proposal.created_by,
            beamline=not_offered,
            end_station=None,
            units=3,
        )

    assert refused.value.message_dict == {"beamline": ["BL46XU is not offered in this call."]}


def test_the_end_station_must_belong_to_the_beamline(call):
    proposal = ProposalFactory(call=call, beamlines={})
    bl01 = call.offered_beamlines.get(beamline__code="BL01B1").beamline
    bl14 = call.offered_beamlines.get(beamline__code="BL14B2").beamline
    station = EndStationFactory(beamline=bl14, code="XAFS", name_en="XAFS station")

    with pytest.raises(ValidationError) as refused:
        services.beamline_request_save(
            proposal=proposal,
            actor=proposal.created_by,
            beamline=bl01,
            end_station=station,
            units=3,
        )
    assert refused.value.message_dict == {
        "end_station": ["BL14B2/XAFS is not an end station of BL01B1."]
    }

    request = services.beamline_request_save(
        proposal=proposal, actor=proposal.created_by, beamline=bl14, end_station=station, units=3
    )
    again = services.beamline_request_save(
        proposal=proposal, actor=proposal.created_by, beamline=bl14, end_station=station, units=5
    )
    assert again.pk == request.pk
    assert list(proposal.beamline_requests.values_list("units_requested", flat=True)) == [5]


# --- Dates and publications ------------------------------------------------------------------


def test_unavailable_dates_and_publications(call):
    proposal = ProposalFactory(call=call)
    actor = proposal.created_by

    with pytest.raises(ValidationError, match="last day comes before the first"):
        services.unavailable_add(
            proposal=proposal, actor=actor, start=dt.date(2026, 11, 5), end=dt.date(2026, 11, 1)
        )
    period = services.unavailable_add(
        proposal=proposal,
        actor=actor,
        start=dt.date(2026, 11, 1),
        end=dt.date(2026, 11, 5),
        reason="学会",
    )
    publication = services.publication_add(
        proposal=proposal,
        actor=actor,
        citation="J. Synchrotron Rad. 30 (2023) 1",
        authors="  Sato H.\n\nTanaka K.  \n",
        doi="10.1107/S0000000000000000",
    )

    assert publication.authors == "Sato H.\nTanaka K."
    services.unavailable_remove(period=period, actor=actor)
    services.publication_remove(publication=publication, actor=actor)
    assert not proposal.unavailable.exists() and not proposal.publications.exists()


# --- Attachments -----------------------------------------------------------------------------


def test_a_pdf_is_stored_under_its_sha256(call):
    proposal = ProposalFactory(call=call)

    attachment = services.attachment_add(
        proposal=proposal, actor=proposal.created_by, upload=pdf("研究計画.pdf")
    )

    assert attachment.sha256 == hashlib.sha256(PDF).hexdigest()
    assert (attachment.size, attachment.original_name) == (len(PDF), "研究計画.pdf")
    assert attachment.file.name == f"proposals/{proposal.pk}/{attachment.sha256[:16]}.pdf"
    with attachment.file.open("rb") as stored:
        assert stored.read() == PDF


def test_a_file_that_is_not_a_pdf_is_refused_whatever_its_name(call):
    proposal = ProposalFactory(call=call)

    with pytest.raises(ValidationError) as refused:
        services.attachment_add(
            proposal=proposal, actor=proposal.created_by, upload=pdf("plan.pdf", b"MZ\x90\x00")
        )

    assert refused.value.message_dict == {
        "file": ["Only PDF files can be attached; this file is not a PDF."]
    }
    assert not Attachment.objects.exists()


def test_a_pdf_over_the_limit_is_refused(call, settings):
    settings.AKARI_ATTACHMENT_MAX_BYTES = 1024
    proposal = ProposalFactory(call=call)

    with pytest.raises(ValidationError) as refused:
        services.attachment_add(
            proposal=proposal, actor=proposal.created_by, upload=pdf(content=PDF + b" " * 1024)
        )

    assert refused.value.message_dict == {
        "file": ["The file is 1.0\xa0KB; attachments may be at most 1.0\xa0KB."]
    }
    assert not Attachment.objects.exists()


def test_the_same_file_twice_is_refused_and_removal_deletes_it(call):
    proposal = ProposalFactory(call=call)
    attachment = services.attachment_add(proposal=proposal, actor=proposal.created_by, upload=pdf())

    with pytest.raises(ValidationError, match="already attached"):
        services.attachment_add(proposal=proposal, actor=proposal.created_by, upload=pdf())

    services.attachment_remove(attachment=attachment, actor=proposal.created_by)
    assert not Attachment.objects.exists()


# --- Copy for a resubmission ----------------------------------------------------------------


def test_copy_makes_a_draft_in_an_open_call(call):
    co = UserFactory()
    original = submitted_proposal(call, team=[co], beamlines={"BL01B1": 3, "BL40XU": 6})
    Proposal.objects.filter(pk=original.pk).update(status=Proposal.Status.REJECTED)
    original.refresh_from_db()
    later = CallFactory(
        code="2027A",
        period_start=dt.date(2027, 4, 1),
        period_end=dt.date(2027, 8, 31),
        beamlines={"BL01B1": 30, "BL14B2": 30},
    )

    with clock.frozen(later.opens_at + dt.timedelta(hours=1)):
        copy = services.proposal_copy(proposal=original, call=later, actor=co)

    assert copy.status == Proposal.Status.DRAFT
    assert (copy.call, copy.route.code, copy.copied_from) == (later, "normal", original)
    assert (copy.title, copy.abstract, copy.field) == (
        original.title,
        original.abstract,
        original.field,
    )
    assert copy.previous_proposals == "2026B0001"
    assert sorted(copy.team.values_list("person", "role")) == sorted(
        original.team.values_list("person", "role")
    )
    # BL40XU is not offered in the new call: its request is left behind.
    assert list(copy.beamline_requests.values_list("beamline__code", "units_requested")) == [
        ("BL01B1", 3)
    ]


def test_copy_carries_attachments_and_publications(call):
    original = ProposalFactory(call=call)
    services.attachment_add(proposal=original, actor=original.created_by, upload=pdf())
    services.publication_add(
        proposal=original, actor=original.created_by, citation="Paper", authors="Sato H."
    )

    copy = services.proposal_copy(proposal=original, call=call, actor=original.created_by)

    assert list(copy.publications.values_list("citation", "authors")) == [("Paper", "Sato H.")]
    copied = copy.attachments.get()
    assert copied.sha256 == hashlib.sha256(PDF).hexdigest()
    assert copied.file.name != original.attachments.get().file.name


def test_no_copy_into_a_closed_call(call):
    original = ProposalFactory(call=call)
    Call.objects.filter(pk=call.pk).update(status=Call.Status.CLOSED)
    call.refresh_from_db()
    before = Proposal.objects.count()

    with pytest.raises(ValidationError, match="not open"):
        services.proposal_copy(proposal=original, call=call, actor=original.created_by)

    assert Proposal.objects.count() == before


# --- Withdrawal ----------------------------------------------------------------------------


def test_withdrawal_keeps_the_reason_and_tells_the_team(call):
    from akari.core.workflow import history
    from akari.notifications.models import Notification

    co = UserFactory()
    proposal = submitted_proposal(call, team=[co])

    services.proposal_withdraw(proposal=proposal, actor=proposal.created_by, reason="試料が不調")

    assert proposal.status == Proposal.Status.WITHDRAWN
    assert history(proposal).last().reason == "試料が不調"
    told = Notification.objects.filter(dedupe_key=f"proposals.withdrawn:{proposal.pk}")
    assert sorted(told.values_list("recipient", flat=True)) == sorted(
        [proposal.created_by.pk, co.pk]
    )
