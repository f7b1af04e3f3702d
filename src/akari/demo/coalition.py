"""Demo data of the coalition (members, entitlements, booking windows, bookings)."""

from __future__ import annotations

from akari.accounts.models import User


def demo_coalition(people: dict[str, User]) -> None:
    """Idempotent; called by ``load_demo`` after the programme demo."""
