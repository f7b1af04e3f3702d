"""Demo data of the support services app (consultations, matching, orders). Idempotent."""

from __future__ import annotations

from akari.accounts.models import User


def demo_support(people: dict[str, User]) -> None:
    """Idempotent; called by ``load_demo`` after the outcomes demo."""
