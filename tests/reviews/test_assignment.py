"""Conflicts of interest and the reviewer assignment (optimise, adjust, publish)."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from akari.core import clock
from akari.notifications.models import Notification
from akari.proposals.models import Proposal, RelatedPublication
from akari.reviews import services, solver
from akari.reviews.models import AssignmentRun, ConflictOfInterest, ReviewAssignment
from tests.factories import AffiliationFactory, OrganisationFactory, UserFactory
from tests.proposals.factories import CallFactory, submitted_proposal
from tests.reviews.factories import (
    AFTER_DEADLINE,
    PanelFactory,
    beamline,
    pass_technical,
    reviewer,
    scientist_of,
    staff_user,
    start_review,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def board(frozen_clock):  # type: ignore[no-untyped-def]
    """Two proposals in peer review (materials structure), four panel reviewers, staff."""
    b = SimpleNamespace()
    b.staff = staff_user()
    b.call = CallFactory()
    scientist_of(beamline("BL01B1"))
    b.p1 = submitted_proposal(
        b.call, route_code="normal", beamlines={"BL01B1": 3}, keywords=["XAFS", "catalysis"]
    )
    b.p2 = submitted_proposal(b.call, route_code="normal", beamlines={"BL01B1": 3})
    b.expert = reviewer(keywords=["xafs", "Catalysis"], family_name="Ito", given_name="Ken")
    b.r2 = reviewer(family_name="Kato", given_name="Aya")
    b.r3 = reviewer(family_name="Mori", given_name="Jun")
    b.outsider = reviewer(fields=["life_science"], family_name="Ueda", given_name="Rin")
    b.panel = PanelFactory(call=b.call, members=[b.expert, b.r2, b.r3, b.outsider])
    start_review(b.call, b.staff)
    pass_technical(b.p1)
    pass_technical(b.p2)
    return b


def pairs(proposal):  # type: ignore[no-untyped-def]
    return set(
        ReviewAssignment.objects.filter(proposal=proposal).values_list("reviewer_id", "status")
    )


def test_optimiser_proposes_three_panel_reviewers_per_proposal(board):
    run = services.assignment_optimise(call=board.call, actor=board.staff)

    # The panel covers the field; the life-science reviewer has no expertise but is a member:
    # with k=3 and four members, the three with the field match are chosen.
    assert run.status == "optimal"
    assert (run.reviews_per_proposal, run.proposals, run.reviewers) == (3, 2, 4)
    for proposal in (board.p1, board.p2):
        assert pairs(proposal) == {
            (board.expert.pk, "proposed"),
            (board.r2.pk, "proposed"),
            (board.r3.pk, "proposed"),
        }
    expert = ReviewAssignment.objects.get(proposal=board.p1, reviewer=board.expert)
    assert expert.expertise == solver.FIELD_WEIGHT + 2 * solver.KEYWORD_WEIGHT
    # p2 has the factory's keyword "XAFS": the expert shares one keyword with it.
    assert run.objective == 6 * solver.FIELD_WEIGHT + 3 * solver.KEYWORD_WEIGHT
    # Drafts are the user office's: reviewers see nothing yet.
    assert not Notification.objects.filter(kind="reviews.assigned").exists()


def test_same_organisation_conflict_is_found_stored_and_vetoed(board):
    org = OrganisationFactory()
    AffiliationFactory(person=board.r2, organisation=org)
    member = board.p1.team.exclude(role="pi").get().person
    AffiliationFactory(person=member, organisation=org)

    run = services.assignment_optimise(call=board.call, actor=board.staff)

    conflict = ConflictOfInterest.objects.get()
    assert (conflict.proposal, conflict.reviewer, conflict.source) == (
        board.p1,
        board.r2,
        "auto_same_organisation",
    )
    assert (board.r2.pk, "proposed") not in pairs(board.p1)
    assert (board.outsider.pk, "proposed") in pairs(board.p1)
    assert run.status == "optimal"


def test_coauthor_conflicts_in_latin_and_japanese_script(board):
    RelatedPublication.objects.create(
        proposal=board.p1, citation="J. Synchrotron Rad. 1 (2025)", authors="K. Ito\nT. Yamada"
    )
    RelatedPublication.objects.create(
        proposal=board.p2, citation="放射光 2 (2024)", authors="山田 太郎\n佐藤 花"
    )

    services.assignment_optimise(call=board.call, actor=board.staff)

    found = set(
        ConflictOfInterest.objects.values_list("proposal_id", "reviewer_id", "source", "detail")
    )
    # Every factory reviewer is 佐藤 花 in Japanese script: all four are co-authors of p2.
    expected = {(board.p1.pk, board.expert.pk, "auto_coauthor", "K. Ito")}
    expected |= {
        (board.p2.pk, person.pk, "auto_coauthor", "佐藤 花")
        for person in (board.expert, board.r2, board.r3, board.outsider)
    }
    assert found == expected
    assert ReviewAssignment.objects.filter(proposal=board.p2).count() == 0
    run = AssignmentRun.objects.get()
    assert run.status == "infeasible"
    assert run.shortfalls == [
        {
            "proposal": board.p2.pk,
            "label": board.p2.number,
            "needed": 3,
            "assigned": 0,
            "eligible": 0,
            "conflicted": 4,
            "reason": "not_enough_eligible",
        }
    ]


def test_a_team_member_never_reviews_their_own_proposal(board):
    pi = board.p1.team.get(role="pi").person
    board.panel.members.add(pi)

    services.assignment_optimise(call=board.call, actor=board.staff)

    assert ConflictOfInterest.objects.get(reviewer=pi).source == "auto_team_member"
    assert not ReviewAssignment.objects.filter(proposal=board.p1, reviewer=pi).exists()


def test_staff_add_is_checked_for_conflicts_on_the_server(board):
    org = OrganisationFactory()
    AffiliationFactory(person=board.outsider, organisation=org)
    AffiliationFactory(person=board.p1.team.get(role="pi").person, organisation=org)

    with pytest.raises(services.ReviewRefused):
        services.assignment_add(proposal=board.p1, reviewer=board.outsider, actor=board.staff)

    assert not ReviewAssignment.objects.exists()
    assert ConflictOfInterest.objects.get().reviewer == board.outsider


def test_staff_add_creates_a_pinned_draft_kept_by_later_runs(board):
    added = services.assignment_add(proposal=board.p1, reviewer=board.outsider, actor=board.staff)
    assert (added.status, added.pinned, added.expertise) == ("proposed", True, 0)
    with pytest.raises(services.ReviewRefused):
        services.assignment_add(proposal=board.p1, reviewer=board.outsider, actor=board.staff)

    services.assignment_optimise(call=board.call, actor=board.staff)

    assert (board.outsider.pk, "proposed") in pairs(board.p1)
    assert len(pairs(board.p1)) == 3


def test_unpinned_drafts_are_replaced_and_pinned_ones_kept(board):
    services.assignment_optimise(call=board.call, actor=board.staff)
    r3 = ReviewAssignment.objects.get(proposal=board.p1, reviewer=board.r3)
    services.assignment_remove(assignment=r3, actor=board.staff)
    assert not ReviewAssignment.objects.filter(pk=r3.pk).exists()
    added = services.assignment_add(proposal=board.p1, reviewer=board.outsider, actor=board.staff)
    services.assignment_pin(assignment=added, pinned=False, actor=board.staff)

    services.assignment_optimise(call=board.call, actor=board.staff)

    # The unpinned draft with no expertise is replaced by the better reviewer.
    assert {r for r, _s in pairs(board.p1)} == {board.expert.pk, board.r2.pk, board.r3.pk}

    pin = ReviewAssignment.objects.get(proposal=board.p1, reviewer=board.r3)
    services.assignment_pin(assignment=pin, pinned=True, actor=board.staff)
    services.assignment_remove(
        assignment=ReviewAssignment.objects.get(proposal=board.p1, reviewer=board.r2),
        actor=board.staff,
    )
    services.assignment_add(proposal=board.p1, reviewer=board.outsider, actor=board.staff)
    services.assignment_optimise(call=board.call, actor=board.staff)
    assert {r for r, _s in pairs(board.p1)} == {board.expert.pk, board.r3.pk, board.outsider.pk}


def test_publish_assigns_and_notifies_each_reviewer_once(board):
    services.assignment_optimise(call=board.call, actor=board.staff)

    count = services.assignments_publish(call=board.call, actor=board.staff)

    assert count == 6
    assert set(ReviewAssignment.objects.values_list("status", flat=True)) == {"assigned"}
    assert set(ReviewAssignment.objects.values_list("assigned_at", flat=True)) == {clock.now()}
    notes = Notification.objects.filter(kind="reviews.assigned").order_by("recipient_id")
    assert [n.recipient_id for n in notes] == sorted([board.expert.pk, board.r2.pk, board.r3.pk])
    assert all(n.context["count"] == 2 for n in notes)
    assert all(n.link == reverse("reviews:assignments") for n in notes)
    # Nothing new to publish: nothing sent.
    assert services.assignments_publish(call=board.call, actor=board.staff) == 0
    assert Notification.objects.filter(kind="reviews.assigned").count() == 3


def test_published_assignments_are_kept_and_declines_replaced(board):
    services.assignment_optimise(call=board.call, actor=board.staff)
    services.assignments_publish(call=board.call, actor=board.staff)
    declined = ReviewAssignment.objects.get(proposal=board.p1, reviewer=board.r2)
    services.assignment_decline(assignment=declined, actor=board.r2, reason="Busy")

    services.assignment_optimise(call=board.call, actor=board.staff)

    assert pairs(board.p1) == {
        (board.expert.pk, "assigned"),
        (board.r2.pk, "declined"),
        (board.r3.pk, "assigned"),
        (board.outsider.pk, "proposed"),
    }


def test_removing_a_published_assignment_takes_the_proposal_away(board, login):
    services.assignment_optimise(call=board.call, actor=board.staff)
    services.assignments_publish(call=board.call, actor=board.staff)
    assignment = ReviewAssignment.objects.get(proposal=board.p1, reviewer=board.r2)
    url = reverse("reviews:assignment", args=[assignment.pk])
    assert login(board.r2).get(url).status_code == 200

    services.assignment_remove(assignment=assignment, actor=board.staff)

    assignment.refresh_from_db()
    assert assignment.status == "removed"
    assert login(board.r2).get(url).status_code == 404
    # Added again: a draft again, published again.
    again = services.assignment_add(proposal=board.p1, reviewer=board.r2, actor=board.staff)
    assert (again.pk, again.status, again.pinned) == (assignment.pk, "proposed", True)


def test_a_conflict_found_after_publishing_removes_the_assignment(board, login):
    services.assignment_optimise(call=board.call, actor=board.staff)
    services.assignments_publish(call=board.call, actor=board.staff)
    org = OrganisationFactory()
    AffiliationFactory(person=board.r3, organisation=org)
    AffiliationFactory(person=board.p2.team.get(role="pi").person, organisation=org)

    services.conflicts_detect(proposal_ids=[board.p2.pk], reviewer_ids=[board.r3.pk])

    assignment = ReviewAssignment.objects.get(proposal=board.p2, reviewer=board.r3)
    assert (assignment.status, assignment.conflict) == ("removed", True)
    assert login(board.r3).get(reverse("reviews:assignment", args=[assignment.pk])).status_code == (
        404
    )


def test_declaring_a_conflict_stores_it_and_hides_the_proposal(board, login):
    services.assignment_optimise(call=board.call, actor=board.staff)
    services.assignments_publish(call=board.call, actor=board.staff)
    assignment = ReviewAssignment.objects.get(proposal=board.p1, reviewer=board.r2)

    response = login(board.r2).post(
        reverse("reviews:assignment-conflict", args=[assignment.pk]),
        {"detail": "My former PhD student"},
    )

    assert response.status_code == 302
    conflict = ConflictOfInterest.objects.get()
    assert (conflict.reviewer, conflict.source, conflict.detail) == (
        board.r2,
        "declared",
        "My former PhD student",
    )
    assignment.refresh_from_db()
    assert (assignment.status, assignment.conflict) == ("declined", True)
    listing = login(board.r2).get(reverse("reviews:assignments")).content.decode()
    assert board.p1.number not in listing
    assert board.p2.number in listing
    # The optimiser never gives it back.
    services.assignment_optimise(call=board.call, actor=board.staff)
    assert not ReviewAssignment.objects.filter(
        proposal=board.p1, reviewer=board.r2, status="proposed"
    ).exists()


def test_adjustments_are_staff_only_and_refusals_change_nothing(board):
    services.assignment_optimise(call=board.call, actor=board.staff)
    draft = ReviewAssignment.objects.filter(proposal=board.p1).first()
    before = list(ReviewAssignment.objects.values_list("pk", "status", "pinned"))
    for person in (board.expert, UserFactory()):
        with pytest.raises(PermissionDenied):
            services.assignment_optimise(call=board.call, actor=person)
        with pytest.raises(PermissionDenied):
            services.assignment_pin(assignment=draft, pinned=True, actor=person)
        with pytest.raises(PermissionDenied):
            services.assignment_remove(assignment=draft, actor=person)
        with pytest.raises(PermissionDenied):
            services.assignment_add(proposal=board.p1, reviewer=board.outsider, actor=person)
        with pytest.raises(PermissionDenied):
            services.assignments_publish(call=board.call, actor=person)
    assert list(ReviewAssignment.objects.values_list("pk", "status", "pinned")) == before
    assert AssignmentRun.objects.count() == 1


def test_time_limit_and_workers_are_read_at_call_time(board, settings, monkeypatch):
    seen = {}
    real = solver.solve

    def spy(*args, **kwargs):  # type: ignore[no-untyped-def]
        seen.update(time_limit=kwargs["time_limit"], workers=kwargs["workers"])
        return real(*args, **kwargs)

    monkeypatch.setattr(solver, "solve", spy)
    settings.AKARI_ASSIGNMENT_TIME_LIMIT = 3
    settings.AKARI_ASSIGNMENT_WORKERS = 2

    services.assignment_optimise(call=board.call, actor=board.staff)

    assert seen == {"time_limit": 3.0, "workers": 2}


def test_the_board_adjusts_with_htmx(board, login):
    services.assignment_optimise(call=board.call, actor=board.staff)
    client = login(board.staff)
    headers = {"HX-Request": "true"}
    draft = ReviewAssignment.objects.get(proposal=board.p1, reviewer=board.r2)

    pinned = client.post(
        reverse("reviews:assignment-pin", args=[draft.pk]), {"pinned": "1"}, headers=headers
    )
    assert pinned.status_code == 200
    assert f'id="proposal-{board.p1.pk}"' in pinned.content.decode()
    assert 'data-testid="pinned"' in pinned.content.decode()

    added = client.post(
        reverse("reviews:assignment-add", args=[board.p1.pk]),
        {"email": board.outsider.email},
        headers=headers,
    )
    assert f'data-reviewer="{board.outsider.email}"' in added.content.decode()

    refused = client.post(
        reverse("reviews:assignment-add", args=[board.p1.pk]),
        {"email": "stranger@example.org"},
        headers=headers,
    )
    assert 'data-testid="board-error"' in refused.content.decode()

    removed = client.post(reverse("reviews:assignment-remove", args=[draft.pk]), headers=headers)
    assert f'data-reviewer="{board.r2.email}"' not in removed.content.decode()
    assert pairs(board.p1) == {
        (board.expert.pk, "proposed"),
        (board.r3.pk, "proposed"),
        (board.outsider.pk, "proposed"),
    }


def test_the_board_shows_the_run_report(board, login):
    board.panel.members.remove(board.r3, board.outsider)
    client = login(board.staff)

    optimise = client.post(reverse("reviews:call-optimise", args=[board.call.pk]))
    page = client.get(optimise["Location"]).content.decode()

    assert 'data-testid="shortfalls"' in page
    assert board.p1.number in page
    assert "Only 2 reviewers may review it" in page
    publish = client.post(reverse("reviews:call-publish", args=[board.call.pk]))
    assert publish.status_code == 302
    assert ReviewAssignment.objects.filter(status="assigned").count() == 4


def test_proposals_not_in_peer_review_are_left_alone(board):
    with clock.frozen(AFTER_DEADLINE):
        Proposal.objects.filter(pk=board.p2.pk).update(status="committee")
    services.assignment_optimise(call=board.call, actor=board.staff)
    assert not ReviewAssignment.objects.filter(proposal=board.p2).exists()
    with pytest.raises(services.ReviewRefused):
        services.assignment_add(proposal=board.p2, reviewer=board.r2, actor=board.staff)
