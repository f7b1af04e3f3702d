"""Who may see and change schedules.

The user office (and system administrators) prepare the operating calendar, run the solver,
adjust and publish the schedule, and cancel published blocks. Beamline scientists and facility
management see the periods and draft schedules read-only. A proposal's team sees its own
scheduled dates ("My beamtime") and its PI may cancel a published block.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from akari.accounts.roles import Role, has_role
from akari.proposals.models import TeamMember
from akari.scheduling.models import ScheduledBlock, SchedulePeriod

VIEW_ROLES = (Role.USER_OFFICE, Role.SYSTEM_ADMIN, Role.BEAMLINE_SCIENTIST, Role.MANAGEMENT)
MANAGE_ROLES = (Role.USER_OFFICE, Role.SYSTEM_ADMIN)


def _signed_in(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


def can_view_periods(user: Any) -> bool:
    return _signed_in(user) and bool(user.is_superuser or has_role(user, *VIEW_ROLES))


def can_manage(user: Any) -> bool:
    return _signed_in(user) and bool(user.is_superuser or has_role(user, *MANAGE_ROLES))


def can_see_mine(user: Any) -> bool:
    return _signed_in(user)


def visible_to(user: Any) -> QuerySet[SchedulePeriod]:
    if not can_view_periods(user):
        return SchedulePeriod.objects.none()
    return SchedulePeriod.objects.select_related("facility")


def get_period_for(user: Any, pk: int) -> SchedulePeriod:
    period = visible_to(user).filter(pk=pk).first()
    if period is None:
        raise Http404
    return period


def get_block_for(user: Any, pk: int) -> ScheduledBlock:
    """A block of a period ``user`` may manage (404 for everyone else)."""
    if not can_manage(user):
        raise Http404
    block = (
        ScheduledBlock.objects.select_related("period", "beamline", "proposal")
        .filter(pk=pk)
        .first()
    )
    if block is None:
        raise Http404
    return block


def can_cancel(user: Any, block: ScheduledBlock) -> bool:
    if block.status != ScheduledBlock.Status.PUBLISHED:
        return False
    if can_manage(user):
        return True
    return (
        _signed_in(user)
        and TeamMember.objects.filter(
            proposal=block.proposal_id, person=user, role=TeamMember.Role.PI
        ).exists()
    )


def get_cancellable_for(user: Any, pk: int) -> ScheduledBlock:
    block = (
        ScheduledBlock.objects.select_related("period", "beamline", "proposal")
        .filter(pk=pk)
        .first()
    )
    if block is None or not (can_manage(user) or _on_team(user, block)):
        raise Http404
    if not can_cancel(user, block):
        raise PermissionDenied
    return block


def _on_team(user: Any, block: ScheduledBlock) -> bool:
    return (
        _signed_in(user)
        and TeamMember.objects.filter(proposal=block.proposal_id, person=user).exists()
    )
