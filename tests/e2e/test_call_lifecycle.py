"""A call from submission to the decision letters and a waitlist promotion, through the real
services of the proposals, reviews, selection and notifications apps (issue 3's first "Done
when").

The real SPring-8 pack is loaded (routes normal, priority, proprietary_normal; caps: priority +
proprietary at most 40% of a beamline's beamtime, one group at most 20%; a waitlist). Thirty
proposals over three beamlines of 30 shifts each are built so that each rule binds whatever the
peer-review ranking turns out to be:

* BL01B1: four capped proposals (two proprietary, two priority; 5+5+5+3 shifts, no peer review,
  taken in order of submission) against a cap of 12 shifts: 5, 5, then 2 (partial), then
  waitlisted; six normal proposals of 4 shifts share the 18 shifts left: four get 4, one 2,
  one waits.
* BL14B2: two proposals whose PIs are both at Kyoto University (6 shifts each) against a group
  cap of 6: whichever ranks lower waits; eight normal proposals of 2 shifts, one of them
  technically not feasible (rejected, and its letter carries the comment to the applicant but
  never the internal comment). Beamtime is never short there, so only the caps bind.
* BL40XU: ten normal proposals of 4 shifts for 30 shifts: seven get 4, one 2, two wait. After
  the decisions, an accepted proposal is withdrawn and the best-ranked waitlisted one gets its
  4 shifts; offering again promotes nothing more.

Peer review has two conflicts of interest: a reviewer at the same organisation as a
co-investigator of one proposal, and a reviewer who co-authored a publication another proposal
lists. The optimiser never assigns them, and they never see those proposals.

People prefer Japanese or English; receipts, review assignments and decision letters arrive in
each one's language.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter

import pytest
from django.urls import reverse

from akari.accounts.roles import Role
from akari.core import clock
from akari.proposals.models import BeamlineRequest, Call, CallBeamline, Proposal, RelatedPublication
from akari.proposals.services import proposal_withdraw
from akari.reviews import services as reviews
from akari.reviews.models import ConflictOfInterest, ReviewAssignment, TechnicalReview
from akari.selection import selectors
from akari.selection.allocation import Action, Reason
from akari.selection.models import WaitlistEntry
from akari.selection.services import decisions_adopt, decisions_publish, waitlist_fill
from tests.factories import AffiliationFactory, OrganisationFactory, UserFactory
from tests.proposals.factories import CallFactory, submitted_proposal
from tests.reviews.factories import PanelFactory, reviewer, scientist_of, staff_user

pytestmark = pytest.mark.django_db(transaction=False)

S = Proposal.Status
IMMEDIATE = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
SUBMISSION = dt.datetime(2026, 3, 10, 10, 0, tzinfo=clock.TOKYO)
REVIEW = dt.datetime(2026, 4, 20, 9, 0, tzinfo=clock.TOKYO)
COMMITTEE = dt.datetime(2026, 6, 15, 14, 0, tzinfo=clock.TOKYO)
WITHDRAWAL = dt.datetime(2026, 8, 1, 10, 0, tzinfo=clock.TOKYO)
JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")

# (beamline, route, shifts, key) in order of submission
PLAN = [
    *[
        ("BL01B1", r, n, f"capped{i}")
        for i, (r, n) in enumerate(
            [("proprietary_normal", 5), ("priority", 5), ("proprietary_normal", 5), ("priority", 3)]
        )
    ],
    *[("BL01B1", "normal", 4, f"a{i}") for i in range(6)],
    ("BL14B2", "normal", 6, "kyoto0"),
    ("BL14B2", "normal", 6, "kyoto1"),
    *[("BL14B2", "normal", 2, f"b{i}") for i in range(8)],
    *[("BL40XU", "normal", 4, f"c{i}") for i in range(10)],
]


@pytest.fixture
def mail(settings, mailoutbox):
    settings.TASKS = IMMEDIATE
    settings.AKARI_ASSIGNMENT_TIME_LIMIT = 5
    return mailoutbox


def language_of(mail_message, people_by_email) -> str:
    return people_by_email[mail_message.to[0]].preferred_language


def assert_language(messages, people_by_email):
    """Every message is in its recipient's language (Japanese text or none)."""
    assert messages
    for message in messages:
        japanese = bool(JAPANESE.search(message.subject + message.body))
        assert japanese == (language_of(message, people_by_email) == "ja"), message.subject


def test_a_call_from_submission_to_letters_and_waitlist(
    client, mail, django_capture_on_commit_callbacks
):
    call = CallFactory(code="2026B", beamlines={"BL01B1": 30, "BL14B2": 30, "BL40XU": 30})
    assert set(call.routes.values_list("code", flat=True)) >= {
        "normal",
        "priority",
        "proprietary_normal",
    }
    staff = staff_user(preferred_language="en")
    scientists = {
        code: scientist_of(bl.beamline)
        for code, bl in (
            (o.beamline.code, o) for o in call.offered_beamlines.select_related("beamline")
        )
    }
    kyoto = OrganisationFactory(name_en="Kyoto University", name_ja="京都大学")
    osaka = OrganisationFactory(name_en="Osaka University", name_ja="大阪大学")

    # --- Submission: 30 proposals, receipts in each member's language ---------------------------
    proposals: dict[str, Proposal] = {}
    people = {}
    with clock.frozen(SUBMISSION), django_capture_on_commit_callbacks(execute=True):
        for i, (code, route, shifts, key) in enumerate(PLAN):
            language, other = ("ja", "en") if i % 2 == 0 else ("en", "ja")
            pi = UserFactory(preferred_language=language)
            AffiliationFactory(
                person=pi,
                organisation=kyoto if key.startswith("kyoto") else OrganisationFactory(),
            )
            co = UserFactory(preferred_language=other)
            if key == "c3":
                AffiliationFactory(person=co, organisation=osaka)
            proposals[key] = submitted_proposal(
                call,
                route_code=route,
                beamlines={code: shifts},
                pi=pi,
                team=[co],
                title=f"Proposal {key}",
            )
            people.update({pi.email: pi, co.email: co})
    assert Proposal.objects.filter(call=call, status=S.SUBMITTED).count() == 30
    receipts = [m for m in mail if m.to[0] in people]
    assert len(receipts) == 60
    number = proposals["a0"].number
    pi_a0 = proposals["a0"].team.get(role="pi").person
    co_a0 = proposals["a0"].team.get(role="co_investigator").person
    by_recipient = {m.to[0]: m for m in receipts if number in m.subject}
    assert by_recipient[pi_a0.email].subject == f"[Akari] 課題{number}を受け付けました"
    assert by_recipient[co_a0.email].subject == f"[Akari] Proposal {number} received"
    assert_language(receipts, people)

    # A co-author of a publication listed by c5 (conflict detected on the server).
    RelatedPublication.objects.create(
        proposal=proposals["c5"],
        citation="Operando XAFS of supported catalysts. J. Synchrotron Rad. 33, 1 (2025).",
        authors="Taro Yamada\nJiro Suzuki\nMegumi Kato",
    )

    # --- Technical review by the beamline scientists ------------------------------------------
    mail.clear()
    with clock.frozen(REVIEW), django_capture_on_commit_callbacks(execute=True):
        reviews.review_start(call=call, actor=staff)
        for key, proposal in proposals.items():
            for review in TechnicalReview.objects.filter(proposal=proposal):
                not_feasible = key == "b7"
                reviews.technical_review_submit(
                    review=review,
                    actor=scientists[review.beamline.code],
                    verdict="not_feasible" if not_feasible else "feasible",
                    comment_to_applicant=(
                        "The cryostat of this station cannot reach 4 K." if not_feasible else ""
                    ),
                    internal_comment="Internal: the station is short of staff.",
                    recommended_units=None,
                )
    statuses = Counter(Proposal.objects.filter(call=call).values_list("status", flat=True))
    assert statuses == {S.COMMITTEE: 4, S.PEER_REVIEW: 26}

    # --- Peer review: the optimiser, two conflicts of interest, scores --------------------------
    panel_members = []
    for i in range(8):
        panel_members.append(
            reviewer(
                keywords=["XAFS"],
                preferred_language="ja" if i % 2 == 0 else "en",
                family_name=f"Reviewer{i}",
                given_name="Kei",
            )
        )
    same_org = reviewer(keywords=["XAFS"], organisation=osaka, preferred_language="ja")
    coauthor = reviewer(
        keywords=["XAFS"], family_name="Suzuki", given_name="Jiro", preferred_language="en"
    )
    panel_members += [same_org, coauthor]
    PanelFactory(call=call, members=panel_members)
    reviewer_people = {p.email: p for p in panel_members}
    mail.clear()
    with clock.frozen(REVIEW), django_capture_on_commit_callbacks(execute=True):
        reviews.assignment_optimise(call=call, actor=staff)
        reviews.assignments_publish(call=call, actor=staff)

    conflicts = set(
        ConflictOfInterest.objects.filter(proposal__call=call).values_list(
            "proposal_id", "reviewer_id", "source"
        )
    )
    assert conflicts == {
        (proposals["c3"].pk, same_org.pk, ConflictOfInterest.Source.SAME_ORGANISATION),
        (proposals["c5"].pk, coauthor.pk, ConflictOfInterest.Source.COAUTHOR),
    }
    for key, person in (("c3", same_org), ("c5", coauthor)):
        assert not ReviewAssignment.objects.filter(
            proposal=proposals[key], reviewer=person, conflict=False
        ).exists()
    active = ReviewAssignment.objects.filter(
        proposal__call=call, status=ReviewAssignment.Status.ASSIGNED
    )
    assert Counter(active.values_list("proposal_id", flat=True)) == {
        p.pk: 3 for p in proposals.values() if p.route.code == "normal"
    }
    assignment_mails = [m for m in mail if m.to[0] in reviewer_people]
    assert assignment_mails
    assert_language(assignment_mails, reviewer_people)
    english = [m for m in assignment_mails if reviewer_people[m.to[0]].preferred_language == "en"]
    assert {m.subject for m in english} == {"[Akari] Peer review requested: call 2026B"}

    # The conflicted reviewers never see those proposals (and do see their own assignments).
    for key, person in (("c3", same_org), ("c5", coauthor)):
        client.force_login(person)  # reviewers have TOTP enrolled (tests.reviews.factories)
        detail = reverse("proposals:detail", args=[proposals[key].pk])
        assert client.get(detail).status_code == 404
        listing = client.get(reverse("reviews:assignments")).content.decode()
        assert proposals[key].number not in listing
        mine = active.filter(reviewer=person).select_related("proposal").first()
        if mine is not None:
            assert mine.proposal.number in listing
    client.logout()

    # Scores: a proposal's quality decides every reviewer's score.
    quality = {key: 10 - (i % 9) for i, key in enumerate(proposals)}
    with clock.frozen(REVIEW), django_capture_on_commit_callbacks(execute=True):
        for assignment in active.select_related("proposal", "reviewer"):
            key = next(k for k, p in proposals.items() if p.pk == assignment.proposal_id)
            reviews.review_submit(
                assignment=assignment,
                actor=assignment.reviewer,
                score=quality[key],
                comment="Clear plan; feasible in the time asked.",
            )
        reviews.peer_review_close(call=call, actor=staff)
    assert Proposal.objects.filter(call=call, status=S.COMMITTEE).count() == 30

    # --- The committee: proposed allocation with the caps binding --------------------------------
    offered = {o.beamline.code: o for o in call.offered_beamlines.select_related("beamline")}
    call.refresh_from_db()
    tables = {code: selectors.committee_table(call, o) for code, o in offered.items()}

    bl01 = tables["BL01B1"]
    capped = [r for r in bl01.rows if r.capped]
    assert [
        (r.proposal, r.suggestion.action, r.suggestion.units, r.suggestion.reason) for r in capped
    ] == [
        (proposals["capped0"], Action.AWARD, 5, Reason.FITS),
        (proposals["capped1"], Action.AWARD, 5, Reason.FITS),
        (proposals["capped2"], Action.AWARD, 2, Reason.CAPPED_SHARE),  # partial: 40% binds
        (proposals["capped3"], Action.WAITLIST, 0, Reason.CAPPED_SHARE),
    ]
    assert [r.rank for r in capped] == [1, 2, 3, 4]  # no peer review: first, by submission
    normal = [
        (r.suggestion.action, r.suggestion.units, r.suggestion.reason)
        for r in bl01.rows
        if not r.capped
    ]
    assert normal == [
        *[(Action.AWARD, 4, Reason.FITS)] * 4,
        (Action.AWARD, 2, Reason.AVAILABILITY),
        (Action.WAITLIST, 0, Reason.AVAILABILITY),
    ]

    bl14 = tables["BL14B2"]
    kyoto_rows = [r for r in bl14.rows if r.proposal in (proposals["kyoto0"], proposals["kyoto1"])]
    assert [(r.suggestion.action, r.suggestion.units) for r in kyoto_rows] == [
        (Action.AWARD, 6),
        (Action.WAITLIST, 0),
    ]
    assert kyoto_rows[1].suggestion.reason == Reason.GROUP_SHARE  # 20% binds
    assert kyoto_rows[0].group.label == "京都大学" or kyoto_rows[0].group.organisation == kyoto
    infeasible = next(r for r in bl14.rows if r.proposal == proposals["b7"])
    assert (infeasible.suggestion.action, infeasible.suggestion.reason) == (
        Action.REJECT,
        Reason.NOT_FEASIBLE,
    )
    assert infeasible.technical_verdict == TechnicalReview.Verdict.NOT_FEASIBLE

    bl40 = tables["BL40XU"]
    assert [(r.suggestion.action, r.suggestion.units) for r in bl40.rows] == [
        *[(Action.AWARD, 4)] * 7,
        (Action.AWARD, 2),
        (Action.WAITLIST, 0),
        (Action.WAITLIST, 0),
    ]
    # The ranking of peer-reviewed proposals follows the reviews app's normalised means.
    means = [r.mean_normalised for r in bl40.rows]
    assert means == sorted(means, reverse=True)

    # The committee records the proposed allocation and publishes the decisions.
    mail.clear()
    with clock.frozen(COMMITTEE), django_capture_on_commit_callbacks(execute=True):
        adopted = decisions_adopt(call=call, actor=staff)
        sent = decisions_publish(call=call, actor=staff)
    assert (adopted.accepted, adopted.waitlisted, adopted.rejected) == (24, 5, 1)
    call.refresh_from_db()
    assert call.status == Call.Status.DECIDED
    assert sent == 60

    for code, o in offered.items():
        awards = BeamlineRequest.objects.filter(
            proposal__call=call, beamline=o.beamline, proposal__status=S.ACCEPTED
        )
        total = sum(a.units_awarded for a in awards)
        capped_total = sum(
            a.units_awarded
            for a in awards.select_related("proposal__route")
            if a.proposal.route.code in ("priority", "proprietary_normal")
        )
        assert total <= o.units_available, code
        assert capped_total <= o.units_available * 40 // 100, code
        summary = selectors.committee_table(call, o)
        assert all(v <= 6 for v in summary.recorded.groups.values()), code
    assert {
        code: sum(
            BeamlineRequest.objects.filter(
                proposal__call=call, beamline=o.beamline, proposal__status=S.ACCEPTED
            ).values_list("units_awarded", flat=True)
        )
        for code, o in offered.items()
    } == {"BL01B1": 30, "BL14B2": 20, "BL40XU": 30}

    # Decision letters, one per team member, in each one's language.
    letters = [m for m in mail if m.to[0] in people]
    assert len(letters) == 60
    assert_language(letters, people)
    accepted = proposals["capped2"]
    for member in accepted.team.select_related("person"):
        letter = next(
            m for m in letters if m.to[0] == member.person.email and accepted.number in m.subject
        )
        if member.person.preferred_language == "ja":
            assert letter.subject == f"[Akari] 課題 {accepted.number} 採択のお知らせ"
            assert "- BL01B1: 2シフト" in letter.body
        else:
            assert letter.subject == f"[Akari] Proposal {accepted.number} accepted"
            assert "- BL01B1: 2 shifts" in letter.body
    waiting = proposals["capped3"]
    for letter in (m for m in letters if waiting.number in m.subject):
        assert ("補欠" in letter.subject) or ("waiting list" in letter.subject)
    rejected = proposals["b7"]
    rejection = [m for m in letters if rejected.number in m.subject]
    assert len(rejection) == 2
    for letter in rejection:
        assert "The cryostat of this station cannot reach 4 K." in letter.body
        assert "short of staff" not in letter.body
        assert "Clear plan" not in letter.body  # never the peer reviewers' texts
    assert all("short of staff" not in m.body for m in letters)

    # The committee page shows the caps (staff, English).
    client.force_login(staff)
    client.cookies["akari_language"] = "en"
    page = client.get(reverse("selection:committee", args=[call.pk, "BL01B1"])).content.decode()
    assert "at most 40% = 12 shifts; recorded 12 shifts" in page
    assert "at most 20% = 6 shifts per group" in page

    # --- A withdrawal frees 4 shifts on BL40XU: the best-ranked waitlisted proposal gets them -----
    waitlist = list(selectors.waitlist(call, offered["BL40XU"].beamline))
    assert len(waitlist) == 2
    first, second = waitlist[0].proposal, waitlist[1].proposal
    assert waitlist[0].rank < waitlist[1].rank
    leaving = next(
        r.proposal
        for r in bl40.rows
        if r.suggestion.units == 4 and r.proposal not in (first, second)
    )
    mail.clear()
    with clock.frozen(WITHDRAWAL), django_capture_on_commit_callbacks(execute=True):
        proposal_withdraw(proposal=leaving, actor=leaving.created_by, reason="Sample not ready")
        promoted = waitlist_fill(call=call, actor=staff)
        again = waitlist_fill(call=call, actor=staff)
    assert promoted == [first]
    assert again == []
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == S.ACCEPTED
    assert first.beamline_requests.get().units_awarded == 4
    assert second.status == S.WAITLISTED
    assert WaitlistEntry.objects.filter(proposal__status=S.WAITLISTED).count() == 4
    promotions = [m for m in mail if "waiting list" in m.subject or "繰り上げ" in m.subject]
    assert len(promotions) == 2
    assert_language(promotions, people)
    # Kyoto's waitlisted proposal stays: beamtime is free on BL14B2 but the group is at 20%.
    kyoto_waiting = kyoto_rows[1].proposal
    kyoto_waiting.refresh_from_db()
    assert kyoto_waiting.status == S.WAITLISTED
    assert CallBeamline.objects.get(call=call, beamline__code="BL14B2").units_available == 30
    assert Role.USER_OFFICE in staff.groups.values_list("name", flat=True)
