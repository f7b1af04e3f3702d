"""Demo data of outcomes (filled in by the outcomes issue). Idempotent."""

from __future__ import annotations

from akari.accounts.models import User


def demo_outcomes(people: dict[str, User]) -> None:
    """Idempotent; called by ``load_demo`` after the billing demo."""
