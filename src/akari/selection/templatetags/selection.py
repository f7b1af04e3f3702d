"""Template filters of the committee pages: units, proposed actions and their reasons."""

from __future__ import annotations

from django import template

from akari.selection import text
from akari.selection.allocation import Action, Reason

register = template.Library()


@register.filter
def units(count: int | None, kind: str) -> str:
    """``{{ 3|units:"shift" }}`` -> "3 shifts" / "3 シフト"."""
    return text.units(count or 0, kind)


@register.filter
def action_label(action: str) -> str:
    return str(text.ACTIONS[Action(action)])


@register.filter
def reason_label(reason: str) -> str:
    return str(text.REASONS[Reason(reason)])


@register.filter
def verdict_label(verdict: str | None) -> str:
    return text.verdict_label(verdict)
