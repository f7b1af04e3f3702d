"""Demo data of the public site (news, events, beamline pages). Idempotent."""

from __future__ import annotations

from akari.accounts.models import User


def demo_outreach(people: dict[str, User]) -> None:
    """Idempotent; called by ``load_demo`` after the support services demo."""
