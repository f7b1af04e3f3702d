"""Who may see and do what with calls and proposals: the one place for these rules.

A proposal is visible to:

- its team (any role), drafts included (a draft is visible to its team only);
- the user office (roles ``user_office`` and ``system_admin``): every submitted proposal;
- its technical reviewers and its assigned, non-conflicted peer reviewers: submitted ones.

Reviewers come from the ``reviews`` app, which imports this app and never the other way round.
The contract, by related names on :class:`~akari.proposals.models.Proposal` (the reviews app
defines the models; this module only looks them up by name, so it works before they exist):

- ``proposal.technical_reviews``: rows with a ``reviewer`` foreign key to the person;
- ``proposal.review_assignments``: rows with ``reviewer`` and a boolean ``conflict``; a row
  with ``conflict=True`` gives no access.

When the reviews model declares ``ACTIVE`` (a tuple of statuses), only rows in those statuses
give access (a proposed, declined or removed assignment does not).

A proprietary proposal's title and content are never shown to panel (peer) reviewers:
:func:`proposal_display_for` hides them for anyone whose only access is a review assignment.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from akari.accounts.roles import Role, has_role
from akari.core.workflow import allowed_targets
from akari.policies.models import AccessRoute
from akari.proposals import selectors
from akari.proposals.models import Call, Proposal, TeamMember

STAFF_ROLES = (Role.USER_OFFICE, Role.SYSTEM_ADMIN)
TECHNICAL_REVIEWS = "technical_reviews"
REVIEW_ASSIGNMENTS = "review_assignments"


def is_staff(user: Any) -> bool:
    """User-office staff: they run calls and see every submitted proposal."""
    return has_role(user, *STAFF_ROLES)


def _reverse_rows(name: str, user: Any, **extra: Any) -> Exists | None:
    """``Exists`` over the reverse relation ``name`` (defined by the reviews app) for rows of
    ``user``; None while that relation does not exist."""
    if not hasattr(Proposal, name):
        return None
    relation = Proposal._meta.get_field(name)
    model = relation.related_model
    fk = relation.field.name  # type: ignore[union-attr]
    active = getattr(model, "ACTIVE", None)
    if active is not None:
        extra = {**extra, "status__in": list(active)}
    return Exists(
        model._default_manager.filter(**{fk: OuterRef("pk"), "reviewer": user, **extra})  # type: ignore[union-attr]
    )


def _team(user: Any) -> Exists:
    return Exists(TeamMember.objects.filter(proposal=OuterRef("pk"), person=user))


def reviewer_condition(user: Any) -> Q:
    """Proposals ``user`` reviews: technically, or as a non-conflicted panel reviewer."""
    condition = Q(pk__in=[])
    technical = _reverse_rows(TECHNICAL_REVIEWS, user)
    if technical is not None:
        condition |= Q(technical)
    panel = _reverse_rows(REVIEW_ASSIGNMENTS, user, conflict=False)
    if panel is not None:
        condition |= Q(panel)
    return condition


def visible_to(user: Any) -> QuerySet[Proposal]:
    """The proposals ``user`` may see (see the module docstring)."""
    if not getattr(user, "is_authenticated", False):
        return Proposal.objects.none()
    submitted = ~Q(status=Proposal.Status.DRAFT)
    if is_staff(user):
        return Proposal.objects.filter(Q(_team(user)) | submitted)
    return Proposal.objects.filter(Q(_team(user)) | (submitted & reviewer_condition(user)))


def get_proposal_for(user: Any, pk: int) -> Proposal:
    """The proposal with all its parts if ``user`` may see it; 404 otherwise (never tells
    whether it exists)."""
    try:
        return selectors.proposal_detail(visible_to(user), pk)
    except Proposal.DoesNotExist:
        raise Http404(_("No such proposal.")) from None


def team_role(user: Any, proposal: Proposal) -> str | None:
    """``user``'s role on the team (uses the prefetched team when there is one)."""
    if not getattr(user, "is_authenticated", False):
        return None
    for member in proposal.team.all():
        if member.person_id == user.pk:
            return str(member.role)
    return None


def is_team_member(user: Any, proposal: Proposal) -> bool:
    return team_role(user, proposal) is not None


def is_pi(user: Any, proposal: Proposal) -> bool:
    return team_role(user, proposal) == TeamMember.Role.PI


def can_edit(user: Any, proposal: Proposal) -> bool:
    """Any team member edits a draft."""
    return proposal.status == Proposal.Status.DRAFT and is_team_member(user, proposal)


def can_submit(user: Any, proposal: Proposal) -> bool:
    """The principal investigator submits."""
    return proposal.status == Proposal.Status.DRAFT and is_pi(user, proposal)


def can_withdraw(user: Any, proposal: Proposal) -> bool:
    """The principal investigator withdraws, while the workflow allows it."""
    allowed = Proposal.Status.WITHDRAWN in allowed_targets(Proposal, proposal.status)
    return allowed and is_pi(user, proposal)


def can_copy(user: Any, proposal: Proposal) -> bool:
    """Any team member copies a proposal into an open call (resubmission)."""
    return is_team_member(user, proposal)


def can_view_staff_pages(user: Any) -> bool:
    return is_staff(user)


def can_download_pdf(user: Any, proposal: Proposal) -> bool:
    """Anyone who may see the proposal gets its PDF (panel reviewers see what
    :func:`proposal_display_for` lets them see)."""
    return visible_to(user).filter(pk=proposal.pk).exists()


def viewing_is_audited(user: Any, proposal: Proposal) -> bool:
    """Views of a proprietary proposal by anyone outside its team are written to the audit
    log (user office, technical reviewers)."""
    proprietary = proposal.route.result_ownership == AccessRoute.ResultOwnership.PROPRIETARY
    return proprietary and not is_team_member(user, proposal)


# --- What a viewer is shown ----------------------------------------------------------------


@dataclass(frozen=True)
class ProposalDisplay:
    """What of a proposal one viewer may read. ``hidden`` means title and content withheld."""

    proposal: Proposal
    hidden: bool
    title: str
    abstract: str
    purpose: str
    samples: str


def proposal_display_for(user: Any, proposal: Proposal) -> ProposalDisplay:
    """Title and content for ``user``: withheld from panel reviewers when the proposal is
    proprietary (their only access is a review assignment)."""
    proprietary = proposal.route.result_ownership == AccessRoute.ResultOwnership.PROPRIETARY
    if proprietary and _panel_only(user, proposal):
        return ProposalDisplay(
            proposal=proposal,
            hidden=True,
            title=_("Proprietary proposal %(number)s") % {"number": proposal.number or ""},
            abstract="",
            purpose="",
            samples="",
        )
    return ProposalDisplay(
        proposal=proposal,
        hidden=False,
        title=proposal.title,
        abstract=proposal.abstract,
        purpose=proposal.purpose,
        samples=proposal.samples,
    )


def _panel_only(user: Any, proposal: Proposal) -> bool:
    if is_team_member(user, proposal) or is_staff(user):
        return False
    technical = _reverse_rows(TECHNICAL_REVIEWS, user)
    if technical is None:
        return True
    return not Proposal.objects.filter(Q(technical), pk=proposal.pk).exists()


# --- Calls -----------------------------------------------------------------------------------


def visible_calls(user: Any) -> QuerySet[Call]:
    """Calls in preparation are the user office's; every other call is public."""
    if is_staff(user):
        return Call.objects.all()
    return Call.objects.exclude(status=Call.Status.DRAFT)


def get_call_for(user: Any, pk: int) -> Call:
    """The call with its offer and routes if ``user`` may see it; 404 otherwise."""
    try:
        return selectors.call_with_offer(visible_calls(user), pk)
    except Call.DoesNotExist:
        raise Http404(_("No such call.")) from None


def can_manage_calls(user: Any) -> bool:
    return is_staff(user)
