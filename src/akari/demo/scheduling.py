"""Demo data of scheduling (operating calendar of a period, a published schedule)."""

from __future__ import annotations

from akari.accounts.models import User


def demo_scheduling(people: dict[str, User]) -> None:
    """Idempotent; called by ``load_demo`` after the programme demo."""
