"""Writes for people and roles."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import Group
from django.db import transaction

from akari.accounts.models import Language, User
from akari.accounts.orcid import normalise
from akari.accounts.roles import ADMIN_SITE_ROLES, Role

PROFILE_FIELDS = (
    "family_name",
    "given_name",
    "family_name_ja",
    "given_name_ja",
    "preferred_language",
    "career_stage",
    "orcid",
    "country",
)


@transaction.atomic
def profile_update(*, actor: User, user: User, data: dict[str, Any]) -> User:
    """Update a person's own profile fields (validated by the caller's form)."""
    if actor.pk != user.pk:
        raise PermissionError("People edit only their own profile here.")
    changed = []
    for name in PROFILE_FIELDS:
        if name in data:
            value = data[name]
            if name == "orcid" and value:
                value = normalise(value)
            if name == "country" and value:
                value = value.upper()
            setattr(user, name, value)
            changed.append(name)
    user.full_clean(exclude=["password"])
    user.save(update_fields=changed)
    return user


def language_set(*, user: Any, language: str) -> None:
    """Remember a signed-in person's language choice."""
    if getattr(user, "is_authenticated", False) and language in Language.values:
        User.objects.filter(pk=user.pk).update(preferred_language=language)


@transaction.atomic
def role_grant(*, user: User, role: Role | str) -> None:
    group = Group.objects.get(name=str(role))
    user.groups.add(group)
    if Role(role) in ADMIN_SITE_ROLES and not user.is_staff:
        user.is_staff = True
        user.save(update_fields=["is_staff"])


@transaction.atomic
def role_revoke(*, user: User, role: Role | str) -> None:
    user.groups.remove(Group.objects.get(name=str(role)))


@transaction.atomic
def api_token_regenerate(*, user: User) -> str:
    """Issue a new API token (the old one stops working). Issued only from the profile page,
    after a login that passed MFA, so a token never bypasses the second factor."""
    from rest_framework.authtoken.models import Token

    Token.objects.filter(user=user).delete()
    return str(Token.objects.create(user=user).key)
