"""The site navigation: one list, filtered per user. Every page is reachable from here.

Apps add their entries to :data:`NAV_ITEMS` (label, URL name, who sees it). A predicate takes
the user and returns whether the entry is shown.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.urls import NoReverseMatch, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


def everyone(user: Any) -> bool:
    return True


def signed_in(user: Any) -> bool:
    return bool(user.is_authenticated)


def admin_user(user: Any) -> bool:
    return bool(user.is_authenticated and user.is_staff)


@dataclass(frozen=True)
class NavItem:
    label: str | Promise
    url_name: str
    visible: Callable[[Any], bool] = everyone


NAV_ITEMS: list[NavItem] = [
    NavItem(_("Home"), "core:home"),
    NavItem(_("Beamlines"), "facility:catalogue"),
    NavItem(_("Programme guide"), "policies:guide"),
    NavItem(_("Notifications"), "notifications:inbox", signed_in),
    NavItem(_("My account"), "accounts:profile", signed_in),
    NavItem(_("API"), "api-docs"),
    NavItem(_("Administration"), "admin:index", admin_user),
]


def items_for(user: Any, current_path: str) -> list[dict[str, Any]]:
    items = []
    for item in NAV_ITEMS:
        if not item.visible(user):
            continue
        try:
            url = reverse(item.url_name)
        except NoReverseMatch:
            continue
        active = current_path == url or (url != "/" and current_path.startswith(url))
        items.append({"label": item.label, "url": url, "active": active, "url_name": item.url_name})
    return items
