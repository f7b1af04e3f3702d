"""The one ``transition()`` every workflow uses.

A workflow model declares its status field as ``TextChoices`` and an explicit table of the moves
it allows, on the class::

    class Beamline(TimeStampedModel):
        class Status(models.TextChoices): ...
        status = models.CharField(choices=Status, default=Status.OPERATING, max_length=20)
        TRANSITIONS = {Status.OPERATING: {Status.PAUSED, Status.RETIRED}, ...}

``transition(obj, to, actor=..., reason=...)`` then, inside one transaction: locks the row
(``SELECT ... FOR UPDATE``), reads the status from the database (not the possibly stale
instance), checks the table, writes a :class:`~akari.core.models.StatusEvent`, and saves only
the changed fields. An illegal move raises :class:`IllegalTransition` (a translated
``ValidationError``) and writes nothing.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _

from akari.core import clock
from akari.core.models import StatusEvent


class IllegalTransition(ValidationError):
    """A status change that the model's transition table does not allow."""


def allowed_targets(model: type[models.Model], current: str, field: str = "status") -> set[str]:
    table: Mapping[str, Iterable[str]] = _table(model, field)
    return {str(s) for s in table.get(current, ())}


def _table(model: type[models.Model], field: str) -> Mapping[str, Iterable[str]]:
    attr = "TRANSITIONS" if field == "status" else f"{field.upper()}_TRANSITIONS"
    table = getattr(model, attr, None)
    if table is None:
        raise TypeError(f"{model.__name__} declares no {attr} table.")
    return table


def _label(model: type[models.Model], field: str, value: str) -> str:
    choices = dict(getattr(model._meta.get_field(field), "choices", None) or [])
    return str(choices.get(value, value))


def transition[M: models.Model](
    obj: M,
    to: str,
    *,
    actor: Any | None,
    reason: str = "",
    field: str = "status",
    extra_updates: Mapping[str, Any] | None = None,
) -> M:
    """Move ``obj`` to status ``to``; return the refreshed, locked-and-saved instance.

    ``extra_updates`` are other fields to set in the same save (e.g. ``decided_at``).
    """
    model = type(obj)
    table = _table(model, field)
    with transaction.atomic():
        locked = model._default_manager.select_for_update().get(pk=obj.pk)
        current = str(getattr(locked, field))
        if str(to) not in {str(s) for s in table.get(current, ())}:
            raise IllegalTransition(
                _("A %(record)s cannot go from “%(from)s” to “%(to)s”.")
                % {
                    "record": model._meta.verbose_name,
                    "from": _label(model, field, current),
                    "to": _label(model, field, str(to)),
                },
                code="illegal_transition",
            )
        setattr(locked, field, to)
        changed = {field}
        for name, value in (extra_updates or {}).items():
            setattr(locked, name, value)
            changed.add(name)
        locked.save(update_fields=changed)
        StatusEvent.objects.create(
            content_type=ContentType.objects.get_for_model(model),
            object_id=str(locked.pk),
            field=field,
            from_status=current,
            to_status=str(to),
            actor=actor if getattr(actor, "is_authenticated", False) else None,
            reason=reason,
            at=clock.now(),
        )
    # Reflect the saved state on the caller's instance too.
    for name in changed:
        setattr(obj, name, getattr(locked, name))
    return locked


def history(obj: models.Model, field: str = "status") -> models.QuerySet[StatusEvent]:
    return StatusEvent.objects.filter(
        content_type=ContentType.objects.get_for_model(type(obj)),
        object_id=str(obj.pk),
        field=field,
    ).select_related("actor")
