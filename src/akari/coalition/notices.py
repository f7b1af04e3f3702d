"""Who the coalition tells what (the notification kinds ``coalition.*``); called by the services
inside their transactions (mail goes after commit)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from akari.accounts.models import User
from akari.accounts.roles import Role
from akari.coalition.models import MemberPerson, Membership
from akari.notifications.services import notify


def bookers(membership: Membership) -> list[User]:
    return [
        mp.person
        for mp in MemberPerson.objects.filter(
            membership=membership, can_book=True, person__is_active=True
        ).select_related("person")
    ]


def user_office() -> list[User]:
    return list(User.objects.filter(is_active=True, groups__name=str(Role.USER_OFFICE)).distinct())


def tell(
    people: Iterable[User],
    *,
    event: str,
    context: Mapping[str, Any],
    dedupe: str,
    link: str = "",
    actor: Any | None = None,
) -> int:
    count = 0
    for person in people:
        notify(
            recipient=person,
            kind=f"coalition.{event}",
            context=dict(context),
            dedupe_key=f"coalition.{event}:{dedupe}",
            link=link,
            actor=actor if getattr(actor, "is_authenticated", False) else None,
        )
        count += 1
    return count
