"""The audit log: one call records who did or saw what."""

from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models

from akari.core import clock
from akari.core.models import AuditEvent


def record(*, actor: Any, action: str, obj: models.Model, **detail: Any) -> AuditEvent:
    """Write one audit row (e.g. ``action="proposal.viewed"``). Detail must be JSON-safe."""
    return AuditEvent.objects.create(
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        action=action,
        content_type=ContentType.objects.get_for_model(type(obj)),
        object_id=str(obj.pk),
        detail=detail,
        at=clock.now(),
    )


def events_for(obj: models.Model) -> models.QuerySet[AuditEvent]:
    return AuditEvent.objects.filter(
        content_type=ContentType.objects.get_for_model(type(obj)), object_id=str(obj.pk)
    ).select_related("actor")
