"""Who may see and act on the selection committee's work.

The committee table, the waitlist and the ranking export are for the user office and system
administrators (who also record decisions, publish them and offer freed beamtime) and for
facility management (read only). Applicants, reviewers and beamline scientists never see them:
for them the committee's pages do not exist (404), and its actions are refused (403 when the
page itself is visible, as for management).
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from akari.accounts.roles import Role, has_role
from akari.proposals.models import Call, CallBeamline, Proposal
from akari.selection import selectors

VIEW_ROLES = (Role.USER_OFFICE, Role.SYSTEM_ADMIN, Role.MANAGEMENT)
DECIDE_ROLES = (Role.USER_OFFICE, Role.SYSTEM_ADMIN)


def _signed_in(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


def can_view_committee(user: Any) -> bool:
    return _signed_in(user) and bool(user.is_superuser or has_role(user, *VIEW_ROLES))


def can_decide(user: Any) -> bool:
    return _signed_in(user) and bool(user.is_superuser or has_role(user, *DECIDE_ROLES))


def calls_visible_to(user: Any) -> QuerySet[Call]:
    """The calls whose committee pages ``user`` may see (none for most people)."""
    if not can_view_committee(user):
        return Call.objects.none()
    return selectors.committee_calls()


def get_call_for(user: Any, pk: int) -> Call:
    try:
        return selectors.call_for_committee(calls_visible_to(user), pk)
    except Call.DoesNotExist as missing:
        raise Http404("No such call.") from missing


def get_offered_for(user: Any, call_pk: int, beamline_code: str) -> tuple[Call, CallBeamline]:
    call = get_call_for(user, call_pk)
    offered = (
        CallBeamline.objects.select_related("beamline")
        .filter(call=call, beamline__code=beamline_code)
        .first()
    )
    if offered is None:
        raise Http404("The call does not offer this beamline.")
    return call, offered


def get_committee_proposal_for(
    user: Any, call: Call, offered: CallBeamline, proposal_pk: int
) -> Proposal:
    """A proposal of the call that asked for the beamline, for someone who may see the table."""
    if not can_view_committee(user):
        raise Http404("No such proposal.")
    proposal = (
        Proposal.objects.select_related("call", "route")
        .filter(pk=proposal_pk, call=call, beamline_requests__beamline=offered.beamline)
        .first()
    )
    if proposal is None:
        raise Http404("No such proposal.")
    return proposal
