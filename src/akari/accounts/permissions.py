"""Access rules for people and organisations."""

from __future__ import annotations

from typing import Any

from django.conf import settings

from akari.accounts.roles import Role, has_role


def requires_mfa(user: Any) -> bool:
    """Staff roles (settings.AKARI_MFA_REQUIRED_ROLES), admin-site users and superusers."""
    if not getattr(user, "is_authenticated", False):
        return False
    return bool(
        user.is_superuser or user.is_staff or has_role(user, *settings.AKARI_MFA_REQUIRED_ROLES)
    )


def has_totp(user: Any) -> bool:
    from allauth.mfa.models import Authenticator

    cached = getattr(user, "_akari_has_totp", None)
    if cached is None:
        cached = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
        user._akari_has_totp = cached
    return bool(cached)


def must_enrol_mfa(user: Any) -> bool:
    return requires_mfa(user) and not has_totp(user)


def can_manage_people(user: Any) -> bool:
    return bool(
        getattr(user, "is_authenticated", False)
        and (user.is_superuser or has_role(user, Role.USER_OFFICE, Role.SYSTEM_ADMIN))
    )
