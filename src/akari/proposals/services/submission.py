"""Submitting and withdrawing a proposal."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse

from akari.accounts.models import User
from akari.core import clock
from akari.core.workflow import transition
from akari.notifications.services import notify
from akari.proposals.models import Call, Proposal, TeamMember
from akari.proposals.rules import submission_problems
from akari.proposals.selectors import proposal_for_submission


class SubmissionRefused(ValidationError):
    """The proposal cannot be submitted; ``messages`` lists every problem."""


def _notify_team(proposal: Proposal, *, kind: str, actor: Any, context: dict[str, Any]) -> None:
    link = reverse("proposals:detail", args=[proposal.pk])
    members = TeamMember.objects.filter(proposal=proposal).select_related("person")
    for member in members:
        notify(
            recipient=member.person,
            kind=kind,
            context={**context, "role": member.role},
            dedupe_key=f"{kind}:{proposal.pk}",
            link=link,
            actor=actor if isinstance(actor, User) else None,
        )


def _context(proposal: Proposal) -> dict[str, Any]:
    return {
        "proposal_number": proposal.number or "",
        "title": proposal.title,
        "call_code": proposal.call.code,
    }


@transaction.atomic
def proposal_submit(*, proposal: Proposal, actor: User) -> Proposal:
    """Check everything (:func:`akari.proposals.rules.submission_problems`), then number the
    proposal ``<call code><4-digit sequence>``, stamp ``submitted_at``, move it to submitted and
    send every team member a receipt. Raises :class:`SubmissionRefused` listing every problem;
    a refusal writes nothing. The call row is locked so two submissions never share a number.
    """
    call = Call.objects.select_for_update().get(pk=proposal.call_id)
    current = proposal_for_submission(proposal.pk)
    current.call = call
    now = clock.now()
    problems = submission_problems(
        current,
        offered=set(call.offered_beamlines.values_list("beamline_id", flat=True)),
        routes=set(call.routes.values_list("pk", flat=True)),
        now=now,
    )
    if problems:
        raise SubmissionRefused(problems, code="submission_refused")
    sequence = Proposal.objects.filter(call=call, number__isnull=False).count() + 1
    number = f"{call.code}{sequence:04d}"
    transition(
        proposal,
        Proposal.Status.SUBMITTED,
        actor=actor,
        extra_updates={"number": number, "submitted_at": now},
    )
    proposal.refresh_from_db()
    _notify_team(proposal, kind="proposals.submitted", actor=actor, context=_context(proposal))
    return proposal


@transaction.atomic
def proposal_withdraw(*, proposal: Proposal, actor: User, reason: str = "") -> Proposal:
    """Withdraw the proposal (from any state that allows it: not a draft, not once decided
    against) and tell the team. The reason is kept on the status event."""
    transition(proposal, Proposal.Status.WITHDRAWN, actor=actor, reason=reason)
    proposal.refresh_from_db()
    _notify_team(
        proposal,
        kind="proposals.withdrawn",
        actor=actor,
        context={**_context(proposal), "reason": reason},
    )
    return proposal
