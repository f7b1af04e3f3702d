"""The site navigation: one registry, filtered per user. Every page is reachable from here.

Each app registers its entries in its ``AppConfig.ready()`` with :func:`register` (so ``core``
never imports a domain app). An entry has a label, a URL name, a predicate deciding who sees it
(usually from the app's ``permissions`` module) and an order (lower comes first).
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
    order: int = 50


NAV_ITEMS: list[NavItem] = [
    NavItem(_("Home"), "core:home", order=0),
    NavItem(_("API"), "api-docs", order=95),
    NavItem(_("Administration"), "admin:index", admin_user, order=99),
]


def register(*items: NavItem) -> None:
    """Add entries (idempotent: an entry with the same URL name replaces the old one)."""
    for item in items:
        NAV_ITEMS[:] = [existing for existing in NAV_ITEMS if existing.url_name != item.url_name]
        NAV_ITEMS.append(item)
    NAV_ITEMS.sort(key=lambda entry: entry.order)


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
