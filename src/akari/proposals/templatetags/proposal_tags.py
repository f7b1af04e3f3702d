"""Template filters of the proposal pages."""

from __future__ import annotations

from collections.abc import Iterable

from django import template

from akari.proposals.models import Hazard
from akari.proposals.rules import UnitRule

register = template.Library()


@register.filter
def unit_label(rule: UnitRule, count: int | None) -> str:
    """``{{ unit_rule|unit_label:6 }}`` -> "shifts" / "シフト" (plural by count)."""
    return rule.label(count or 0)


@register.filter
def hazard_labels(codes: Iterable[str] | None) -> str:
    labels = dict(Hazard.choices)
    return ", ".join(str(labels.get(code, code)) for code in codes or ())
