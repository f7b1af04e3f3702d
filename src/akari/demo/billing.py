"""Demo data of billing (rate cards, usage records, invoices)."""

from __future__ import annotations

from akari.accounts.models import User


def demo_billing(people: dict[str, User]) -> None:
    """Idempotent; called by ``load_demo`` after the coalition demo."""
