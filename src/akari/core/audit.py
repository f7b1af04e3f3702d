"""The audit log: one call records who did or saw what."""

from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models

from akari.core import clock
from akari.core.models import AuditEvent
from akari.core.sqlchain import Chain


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


def record_step(
    chain: Chain,
    name: str,
    *,
    actor: Any,
    action: str,
    model: type[models.Model],
    from_step: str,
    object_id: str,
    **detail: Any,
) -> Chain:
    """The audit row of :func:`record` as a step of a one-statement write
    (:mod:`akari.core.sqlchain`): ``object_id`` is an SQL expression over the step ``from_step``
    (e.g. ``"exp.id::text"``)."""
    return chain.insert_row(
        name,
        AuditEvent,
        {
            "actor_id": actor.pk if getattr(actor, "is_authenticated", False) else None,
            "action": action,
            "content_type_id": ContentType.objects.get_for_model(model).pk,
            "detail": detail,
            "at": clock.now(),
        },
        source=from_step,
        exprs={"object_id": object_id},
        returning="",
    )


def events_for(obj: models.Model) -> models.QuerySet[AuditEvent]:
    return AuditEvent.objects.filter(
        content_type=ContentType.objects.get_for_model(type(obj)), object_id=str(obj.pk)
    ).select_related("actor")
