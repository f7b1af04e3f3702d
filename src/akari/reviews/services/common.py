"""Shared pieces of the reviews services: the refusal error and notifications."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError

from akari.accounts.models import User
from akari.core import audit
from akari.notifications.services import notify
from akari.proposals.models import Proposal
from akari.proposals.permissions import viewing_is_audited


class ReviewRefused(ValidationError):
    """An action the rules do not allow (the message says why, translated); nothing written."""


def notify_person(
    *,
    recipient: User,
    kind: str,
    context: Mapping[str, Any],
    dedupe_key: str,
    link: str,
    actor: Any,
) -> None:
    """Tell one person (inbox + e-mail after commit, never twice for the same key)."""
    notify(
        recipient=recipient,
        kind=kind,
        context=dict(context),
        dedupe_key=dedupe_key,
        link=link,
        actor=actor if isinstance(actor, User) else None,
    )


def proposal_view_record(*, actor: Any, proposal: Proposal, where: str) -> None:
    """Write the audit row for a view of a proprietary proposal's content by anyone outside its
    team (the proposals app's rule, :func:`~akari.proposals.permissions.viewing_is_audited`)."""
    if viewing_is_audited(actor, proposal):
        audit.record(actor=actor, action="proposal.viewed", obj=proposal, where=where)


def batch_key(kind: str, *parts: object, ids: list[int]) -> str:
    """A dedupe key for one notification about a batch of rows (same rows, same key)."""
    digest = hashlib.sha256(",".join(str(i) for i in sorted(ids)).encode()).hexdigest()[:16]
    return ":".join([kind, *(str(p) for p in parts), digest])
