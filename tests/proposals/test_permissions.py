"""The permission matrix: every page and endpoint of the proposals app, for anonymous visitors,
the PI, a co-investigator, another applicant, a conflicted and an assigned panel reviewer, the
technical reviewer, another beamline scientist and the user office. What each is shown, and
that a denial changes nothing."""

from __future__ import annotations

import json
import re
from types import SimpleNamespace

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse

from akari.accounts.roles import Role
from akari.core.models import AuditEvent, StatusEvent
from akari.proposals import permissions
from akari.proposals.models import Attachment, Proposal
from tests.factories import UserFactory
from tests.proposals.conftest import client_for, staff_user
from tests.proposals.factories import ProposalFactory, submitted_proposal

pytestmark = pytest.mark.django_db

ROLES = [
    "anonymous",
    "pi",
    "co",
    "other",
    "conflicted",
    "assigned",
    "technical",
    "scientist",
    "staff",
]


def reviewer_rows(proposal: Proposal, people: SimpleNamespace) -> None:
    """Rows of the reviews app, found through the related names of the contract."""
    technical = Proposal._meta.get_field("technical_reviews").related_model
    assignments = Proposal._meta.get_field("review_assignments").related_model
    request = proposal.beamline_requests.get()
    technical._default_manager.create(
        proposal=proposal, beamline=request.beamline, reviewer=people.technical
    )
    assignments._default_manager.create(
        proposal=proposal, reviewer=people.assigned, status="assigned"
    )
    assignments._default_manager.create(
        proposal=proposal, reviewer=people.conflicted, status="assigned", conflict=True
    )


@pytest.fixture
def world(call, monkeypatch, settings, tmp_path) -> SimpleNamespace:  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path
    # Who may get the PDF is the question here; test_pages renders a real one.
    monkeypatch.setattr(
        "akari.proposals.views.applicant.render_pdf", lambda *args, **kwargs: b"%PDF-stub"
    )
    people = SimpleNamespace(
        pi=UserFactory(),
        co=UserFactory(),
        other=UserFactory(roles=[Role.APPLICANT]),
        conflicted=staff_user(Role.REVIEWER),
        assigned=staff_user(Role.REVIEWER),
        technical=staff_user(Role.BEAMLINE_SCIENTIST),
        scientist=staff_user(Role.BEAMLINE_SCIENTIST),
        staff=staff_user(Role.USER_OFFICE),
    )
    proposal = submitted_proposal(call, pi=people.pi, team=[people.co], beamlines={"BL01B1": 3})
    proprietary = submitted_proposal(
        call,
        pi=people.pi,
        team=[people.co],
        beamlines={"BL01B1": 3},
        route_code="proprietary_normal",
        title="社外秘の電池材料",
    )
    draft = ProposalFactory(call=call, created_by=people.pi, team=[people.co], title="下書き")
    for submitted in (proposal, proprietary):
        reviewer_rows(submitted, people)
    secret = Attachment(
        proposal=proprietary,
        original_name="plan.pdf",
        size=9,
        sha256="0" * 64,
        uploaded_by=people.pi,
    )
    secret.file.save("plan.pdf", ContentFile(b"%PDF-1.4\n"), save=True)
    return SimpleNamespace(
        call=call,
        people=people,
        proposal=proposal,
        proprietary=proprietary,
        draft=draft,
        secret=secret,
    )


def client(world: SimpleNamespace, role: str) -> Client:
    return client_for(None if role == "anonymous" else getattr(world.people, role))


def snapshot(*proposals: Proposal) -> list[tuple]:
    rows = Proposal.objects.filter(pk__in=[p.pk for p in proposals]).order_by("pk")
    state = [
        (p.status, p.number, p.title, p.updated_at, p.team.count(), p.beamline_requests.count())
        for p in rows
    ]
    return [*state, StatusEvent.objects.count(), Proposal.objects.count()]


LOGIN = "login"


def outcome(response) -> int | str:  # type: ignore[no-untyped-def]
    if response.status_code == 302 and "/accounts/login/" in response["Location"]:
        return LOGIN
    return response.status_code


# --- Who sees a submitted, non-proprietary proposal --------------------------------------


DETAIL = {
    "anonymous": LOGIN,
    "pi": 200,
    "co": 200,
    "other": 404,
    "conflicted": 404,
    "assigned": 200,
    "technical": 200,
    "scientist": 404,
    "staff": 302,  # to the staff page
}
PDF = {**DETAIL, "staff": 200}
STAFF_PAGE = {role: 403 for role in ROLES} | {"anonymous": LOGIN, "staff": 200}
TEAM_ONLY = {role: 404 for role in ROLES} | {"anonymous": LOGIN, "pi": 200, "co": 200}
PI_ONLY = TEAM_ONLY | {"co": 403}


def test_submitted_proposal_pages(world):
    pk = world.proposal.pk
    before = snapshot(world.proposal)

    for role in ROLES:
        c = client(world, role)
        got = {
            "detail": outcome(c.get(reverse("proposals:detail", args=[pk]))),
            "pdf": outcome(c.get(reverse("proposals:pdf", args=[pk]))),
            "staff": outcome(c.get(reverse("proposals:staff_proposal", args=[pk]))),
            "withdraw": outcome(c.get(reverse("proposals:withdraw", args=[pk]))),
            "copy": outcome(c.get(reverse("proposals:copy", args=[pk]))),
        }

        assert got == {
            "detail": DETAIL[role],
            "pdf": PDF[role],
            "staff": STAFF_PAGE[role],
            "withdraw": PI_ONLY[role],
            "copy": TEAM_ONLY[role],
        }, role
        assert snapshot(world.proposal) == before, role


def test_what_the_detail_page_shows(world):
    for role in ["pi", "co", "assigned", "technical"]:
        page = client(world, role).get(reverse("proposals:detail", args=[world.proposal.pk]))
        text = page.content.decode()

        team = role in ("pi", "co")
        assert world.proposal.title in text, role
        assert ('data-testid="status"' in text) is team, role
        assert ('data-testid="withdraw"' in text) is (role == "pi"), role
        assert ('data-testid="copy"' in text) is team, role
        main = text.split('<main id="main"', 1)[1]  # the navigation may name review pages
        assert "Technical review" not in main and "technical_review" not in main, role


def test_proprietary_content_is_never_shown_to_panel_reviewers(world):
    pk = world.proprietary.pk
    for role in ROLES:
        c = client(world, role)
        audits = AuditEvent.objects.filter(action="proposal.viewed").count()

        response = c.get(reverse("proposals:detail", args=[pk]), follow=True)

        text = response.content.decode()
        if role == "assigned":
            assert response.status_code == 200
            assert "社外秘" not in text
            assert 'data-testid="content-hidden"' in text
            assert world.people.pi.email not in text and str(world.people.pi) not in text
            assert c.get(reverse("proposals:pdf", args=[pk])).status_code == 200
            attachment = c.get(reverse("proposals:attachment", args=[pk, world.secret.pk]))
            assert attachment.status_code == 404
        elif role in ("pi", "co", "technical", "staff"):
            assert "社外秘の電池材料" in text, role
            attachment = c.get(reverse("proposals:attachment", args=[pk, world.secret.pk]))
            assert attachment.status_code == 200, role
        else:
            assert "社外秘" not in text, role
        audited = AuditEvent.objects.filter(action="proposal.viewed").count() - audits
        # Every view from outside the team is audited (page, PDF, attachment).
        assert audited == {"technical": 2, "staff": 2, "assigned": 2}.get(role, 0), role


def test_the_display_helper_hides_proprietary_content_from_panel_reviewers(world):
    proposal = Proposal.objects.select_related("route").get(pk=world.proprietary.pk)

    hidden = permissions.proposal_display_for(world.people.assigned, proposal)
    shown = permissions.proposal_display_for(world.people.technical, proposal)

    assert (hidden.hidden, hidden.title, hidden.abstract) == (
        True,
        f"Proprietary proposal {proposal.number}",
        "",
    )
    assert (shown.hidden, shown.title) == (False, "社外秘の電池材料")


def test_visible_to_each_role(world):
    expected = {
        "pi": {world.proposal.pk, world.proprietary.pk, world.draft.pk},
        "co": {world.proposal.pk, world.proprietary.pk, world.draft.pk},
        "other": set(),
        "conflicted": set(),
        "assigned": {world.proposal.pk, world.proprietary.pk},
        "technical": {world.proposal.pk, world.proprietary.pk},
        "scientist": set(),
        "staff": {world.proposal.pk, world.proprietary.pk},  # drafts stay with their team
    }
    for role, pks in expected.items():
        person = getattr(world.people, role)
        assert set(permissions.visible_to(person).values_list("pk", flat=True)) == pks, role


def test_a_declined_assignment_gives_no_access(world):
    assignments = Proposal._meta.get_field("review_assignments").related_model
    assignments._default_manager.filter(reviewer=world.people.assigned).update(status="declined")

    assert not permissions.visible_to(world.people.assigned).exists()


# --- Drafts: editing and its sections --------------------------------------------------------


EDIT = TEAM_ONLY


# Denials first, then the team (the PI's submission comes last).
ORDERED = [r for r in ROLES if r not in ("pi", "co")] + ["co", "pi"]


def test_draft_pages_and_actions(world):
    pk = world.draft.pk
    for role in ORDERED:
        c = client(world, role)
        newcomer = UserFactory()
        before = snapshot(world.draft)

        got = {
            "edit": outcome(c.get(reverse("proposals:edit", args=[pk]))),
            "submit_page": outcome(c.get(reverse("proposals:submit", args=[pk]))),
        }
        actions = {
            "autosave": c.post(
                reverse("proposals:autosave", args=[pk]),
                {
                    "route": world.draft.route_id,
                    "title": f"書き換え {role}",
                    "abstract": world.draft.abstract,
                    "purpose": world.draft.purpose,
                    "field": world.draft.field_id,
                    "samples": world.draft.samples,
                },
            ),
            "team_add": c.post(
                reverse("proposals:team_add", args=[pk]),
                {"email": newcomer.email, "role": "co_investigator"},
            ),
            "submit": c.post(reverse("proposals:submit", args=[pk])),
        }

        assert got == {"edit": EDIT[role], "submit_page": PI_ONLY[role]}, role
        if role in ("pi", "co"):
            assert outcome(actions["autosave"]) == 200
            world.draft.refresh_from_db()
            assert world.draft.title == f"書き換え {role}"
            assert world.draft.team.filter(person=newcomer).exists()
            assert outcome(actions["submit"]) == (302 if role == "pi" else 403)
            assert world.draft.status == (
                Proposal.Status.SUBMITTED if role == "pi" else Proposal.Status.DRAFT
            )
        else:
            expected = LOGIN if role == "anonymous" else 404
            assert {name: outcome(r) for name, r in actions.items()} == dict.fromkeys(
                actions, expected
            ), role
            assert snapshot(world.draft) == before, role


def test_withdraw_and_copy_actions(world):
    pk = world.proposal.pk
    for role in ORDERED:
        c = client(world, role)
        before = snapshot(world.proposal)

        withdraw = outcome(c.post(reverse("proposals:withdraw", args=[pk]), {"reason": "r"}))
        copy = outcome(c.post(reverse("proposals:copy", args=[pk]), {"call": world.call.pk}))

        world.proposal.refresh_from_db()
        if role == "pi":
            assert (withdraw, copy) == (302, 302)
            assert world.proposal.status == Proposal.Status.WITHDRAWN
        elif role == "co":
            assert (withdraw, copy) == (403, 302)
            assert world.proposal.status == Proposal.Status.SUBMITTED
        else:
            expected = LOGIN if role == "anonymous" else 404
            assert (withdraw, copy) == (expected, expected), role
            assert snapshot(world.proposal) == before, role


def test_starting_a_proposal_needs_an_account(world):
    for role in ROLES:
        before = Proposal.objects.count()

        response = client(world, role).post(
            reverse("proposals:start", args=[world.call.pk]), {"route": world.proposal.route_id}
        )

        if role == "anonymous":
            assert outcome(response) == LOGIN
            assert Proposal.objects.count() == before
        else:
            assert response.status_code == 302, role
            assert Proposal.objects.count() == before + 1


# --- Calls -------------------------------------------------------------------------------------


def test_call_pages(world):
    pk = world.call.pk
    # The user office comes last: it closes the call.
    for role in [r for r in ROLES if r != "staff"] + ["staff"]:
        c = client(world, role)
        status_before = world.call.status
        events = StatusEvent.objects.count()
        staff = STAFF_PAGE[role]

        got = {
            "calls": outcome(c.get(reverse("proposals:calls"))),
            "call": outcome(c.get(reverse("proposals:call", args=[pk]))),
            "mine": outcome(c.get(reverse("proposals:mine"))),
            "staff_calls": outcome(c.get(reverse("proposals:staff_calls"))),
            "staff_call": outcome(c.get(reverse("proposals:staff_call", args=[pk]))),
            "staff_edit": outcome(c.get(reverse("proposals:staff_call_edit", args=[pk]))),
            "staff_new": outcome(c.get(reverse("proposals:staff_call_create", args=["spring8"]))),
            "csv": outcome(c.get(reverse("proposals:staff_call_export", args=[pk, "csv"]))),
            "close": outcome(
                c.post(reverse("proposals:staff_call_transition", args=[pk, "close"]))
            ),
        }

        assert got == {
            "calls": 200,
            "call": 200,
            "mine": LOGIN if role == "anonymous" else 200,
            "staff_calls": staff,
            "staff_call": staff,
            "staff_edit": staff,
            "staff_new": staff,
            "csv": staff,
            "close": 302 if role == "staff" else staff,
        }, role
        world.call.refresh_from_db()
        if role != "staff":
            assert world.call.status == status_before, role
            assert StatusEvent.objects.count() == events, role
    assert world.call.status == "closed"


def test_my_proposals_lists_only_my_teams(world):
    team = {world.proposal.pk, world.proprietary.pk, world.draft.pk}
    for role in ROLES[1:]:
        page = client(world, role).get(reverse("proposals:mine"))

        listed = {int(pk) for pk in re.findall(rb'data-proposal="(\d+)"', page.content)}
        assert listed == (team if role in ("pi", "co") else set()), role


# --- API ---------------------------------------------------------------------------------------


API_DETAIL = {
    "anonymous": 401,
    "pi": 200,
    "co": 200,
    "other": 404,
    "conflicted": 404,
    "assigned": 200,
    "technical": 200,
    "scientist": 404,
    "staff": 200,
}


def test_api_matrix(world):
    pk = world.proposal.pk
    draft = world.draft.pk
    team = {world.proposal.pk, world.proprietary.pk, world.draft.pk}
    for role in ORDERED:
        c = client(world, role)
        before = snapshot(world.proposal, world.draft)

        detail = c.get(reverse("v1:proposal-detail", args=[pk]))
        listing = c.get(reverse("v1:proposal-list"))
        patch = c.patch(
            reverse("v1:proposal-detail", args=[draft]),
            json.dumps({"title": f"API {role}"}),
            content_type="application/json",
        )
        submit = c.post(reverse("v1:proposal-submit", args=[draft]))

        assert detail.status_code == API_DETAIL[role], role
        if role == "anonymous":
            assert (listing.status_code, patch.status_code, submit.status_code) == (401,) * 3
        else:
            assert {p["id"] for p in listing.json()} == (team if role in ("pi", "co") else set())
        if role in ("pi", "co"):
            assert patch.status_code == 200
            assert patch.json()["title"] == f"API {role}"
            assert detail.json()["status"] == "under_review"
            assert submit.status_code == (200 if role == "pi" else 403)
        else:
            assert patch.status_code in (401, 404), role
            assert submit.status_code in (401, 404), role
            assert snapshot(world.proposal, world.draft) == before, role
