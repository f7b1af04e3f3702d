"""Training records that other rules can require, e.g. "attended the safety lecture"::

    from akari.outreach.training import has_training

    if not has_training(person, "safety-lecture", on=experiment_day):
        ...

A record comes from attendance at an event with that training code (see
``services.registration_mark_attendance``); it counts from the day of the event and, when the
event gives a validity, until ``valid_until`` inclusive.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Q, QuerySet

from akari.core import clock
from akari.outreach.models import TrainingRecord


def valid_records(person: Any, code: str, *, on: dt.date | None = None) -> QuerySet[TrainingRecord]:
    day = on or clock.today()
    return TrainingRecord.objects.filter(
        person_id=getattr(person, "pk", person), code=code, completed_on__lte=day
    ).filter(Q(valid_until__isnull=True) | Q(valid_until__gte=day))


def has_training(
    person: Any, code: str, *, on: dt.date | None = None, facility: Any | None = None
) -> bool:
    """Whether ``person`` holds a valid ``code`` training on day ``on`` (default: today),
    optionally at ``facility`` only."""
    records = valid_records(person, code, on=on)
    if facility is not None:
        records = records.filter(facility_id=getattr(facility, "pk", facility))
    return records.exists()


def trainings_of(person: Any) -> QuerySet[TrainingRecord]:
    return TrainingRecord.objects.filter(person_id=getattr(person, "pk", person)).select_related(
        "event", "facility"
    )
