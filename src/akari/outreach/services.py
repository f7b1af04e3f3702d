"""Every write about events: creating and publishing them, registering, the waitlist,
cancelling, and attendance (which writes training records).

Capacity under concurrency: a registration locks its event row (``SELECT ... FOR UPDATE``), so
registrations for one event queue, and it takes the lowest free seat number in
``1..capacity``; the database refuses a second registration on a seat
(``UniqueConstraint(event, seat)``) and a seat on a registration that does not hold one. When
every seat is taken, the person joins the waitlist at the next position. Cancelling a seat
promotes the first person on the waitlist (in order of position) into the freed seat and tells
them so.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from akari.accounts.models import User
from akari.core import audit, clock
from akari.core.workflow import transition
from akari.notifications.services import notify
from akari.outreach.models import Audience, Event, Registration, TrainingRecord
from akari.outreach.notices import notice_context

EVENT_FIELDS = (
    "facility",
    "kind",
    "mode",
    "title_ja",
    "title_en",
    "description_ja",
    "description_en",
    "starts_at",
    "ends_at",
    "venue_ja",
    "venue_en",
    "online_url",
    "capacity",
    "registration_opens_at",
    "registration_closes_at",
    "training_code",
    "training_valid_days",
)


def _check_event(values: dict[str, Any]) -> None:
    errors: dict[str, str] = {}
    if values["ends_at"] <= values["starts_at"]:
        errors["ends_at"] = _("An event must end after it starts.")
    if values["registration_closes_at"] <= values["registration_opens_at"]:
        errors["registration_closes_at"] = _("Registration must close after it opens.")
    elif values["registration_closes_at"] > values["ends_at"]:
        errors["registration_closes_at"] = _("Registration must close before the event ends.")
    if values["capacity"] < 1:
        errors["capacity"] = _("An event needs at least one seat.")
    if values["mode"] != Event.Mode.ONLINE and not (values["venue_ja"] or values["venue_en"]):
        errors["venue_ja"] = _("An on-site or hybrid event needs a venue.")
    if values["mode"] != Event.Mode.ON_SITE and not values["online_url"]:
        errors["online_url"] = _("An online or hybrid event needs an online address.")
    if values.get("training_valid_days") and not values.get("training_code"):
        errors["training_valid_days"] = _("A validity needs a training code.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def event_create(*, actor: Any, audiences: Iterable[Audience] = (), **values: Any) -> Event:
    """A draft event (staff publish it with :func:`event_publish`)."""
    data = {name: values.get(name, "") for name in EVENT_FIELDS}
    data["training_valid_days"] = values.get("training_valid_days")
    _check_event(data)
    event = Event.objects.create(**data)
    event.audiences.set(list(audiences))
    audit.record(actor=actor, action="outreach.event_create", obj=event)
    return event


@transaction.atomic
def event_update(
    *, event: Event, actor: Any, audiences: Iterable[Audience] | None = None, **values: Any
) -> Event:
    """Change an event's details. A smaller capacity is refused while someone holds a seat
    beyond it; a larger one fills the new seats from the waitlist."""
    locked = Event.objects.select_for_update().get(pk=event.pk)
    if locked.status == Event.Status.CANCELLED:
        raise ValidationError(_("A cancelled event cannot be changed."))
    data = {name: getattr(locked, name) for name in EVENT_FIELDS}
    data.update({name: value for name, value in values.items() if name in EVENT_FIELDS})
    _check_event(data)
    highest = locked.registrations.filter(seat__isnull=False).aggregate(top=Max("seat"))["top"] or 0
    if data["capacity"] < highest:
        raise ValidationError(
            {
                "capacity": _(
                    "Seat %(seat)s is taken: the capacity cannot go below it. Cancel "
                    "registrations first."
                )
                % {"seat": highest}
            }
        )
    for name, value in data.items():
        setattr(locked, name, value)
    locked.save()
    if audiences is not None:
        locked.audiences.set(list(audiences))
    audit.record(actor=actor, action="outreach.event_update", obj=locked)
    _fill_free_seats(locked, actor=actor)
    return locked


def event_publish(*, event: Event, actor: Any) -> Event:
    with transaction.atomic():
        published = transition(event, Event.Status.PUBLISHED, actor=actor)
        audit.record(actor=actor, action="outreach.event_publish", obj=published)
    return published


def event_unpublish(*, event: Event, actor: Any) -> Event:
    with transaction.atomic():
        if event.registrations.filter(status__in=Registration.ACTIVE).exists():
            raise ValidationError(
                _("People have registered: cancel the event instead of withdrawing it.")
            )
        draft = transition(event, Event.Status.DRAFT, actor=actor)
        audit.record(actor=actor, action="outreach.event_unpublish", obj=draft)
    return draft


@transaction.atomic
def event_cancel(*, event: Event, actor: Any, reason: str = "") -> Event:
    """Cancel the event: every registration and waitlist place ends and its holder is told."""
    cancelled = transition(event, Event.Status.CANCELLED, actor=actor, reason=reason)
    active = cancelled.registrations.filter(
        status__in=(Registration.Status.REGISTERED, Registration.Status.WAITLISTED)
    ).select_related("person")
    for registration in active:
        transition(
            registration,
            Registration.Status.CANCELLED,
            actor=actor,
            reason=reason or "event cancelled",
            extra_updates={"seat": None, "waitlist_position": None},
        )
        notify(
            recipient=registration.person,
            kind="outreach.event_cancelled",
            context={**notice_context(cancelled), "reason": reason},
            dedupe_key=f"outreach.event_cancelled:{registration.pk}",
            link=cancelled.get_absolute_url(),
            actor=actor,
        )
    audit.record(actor=actor, action="outreach.event_cancel", obj=cancelled, reason=reason)
    return cancelled


def waitlist_rank(registration: Registration) -> int | None:
    """The place of a waiting registration in the queue (1 = the next seat is theirs); the
    stored position only orders the queue and keeps its gaps when people leave it."""
    if registration.waitlist_position is None:
        return None
    return Registration.objects.filter(
        event_id=registration.event_id,
        status=Registration.Status.WAITLISTED,
        waitlist_position__lte=registration.waitlist_position,
    ).count()


def _free_seat(event: Event) -> int | None:
    taken = set(event.registrations.filter(seat__isnull=False).values_list("seat", flat=True))
    return next((seat for seat in range(1, event.capacity + 1) if seat not in taken), None)


@transaction.atomic
def registration_create(*, event: Event, person: User, actor: Any) -> Registration:
    """Register ``person`` for ``event``: a seat if one is free, else the waitlist.

    Refused (nothing written) outside the registration window, for an unpublished or cancelled
    event, and for a person who already holds a seat or a waitlist place.
    """
    locked = Event.objects.select_for_update().get(pk=event.pk)
    now = clock.now()
    if locked.status != Event.Status.PUBLISHED:
        raise ValidationError(_("This event is not open for registration."))
    if now < locked.registration_opens_at:
        raise ValidationError(_("Registration for this event has not opened yet."))
    if now >= locked.registration_closes_at:
        raise ValidationError(_("Registration for this event has closed."))
    if locked.registrations.filter(person=person, status__in=Registration.ACTIVE).exists():
        raise ValidationError(_("You are already registered for this event."))
    seat = _free_seat(locked)
    if seat is not None:
        registration = Registration.objects.create(
            event=locked,
            person=person,
            status=Registration.Status.REGISTERED,
            seat=seat,
            registered_at=now,
        )
        kind = "outreach.registered"
    else:
        last = locked.registrations.aggregate(last=Max("waitlist_position"))["last"] or 0
        registration = Registration.objects.create(
            event=locked,
            person=person,
            status=Registration.Status.WAITLISTED,
            waitlist_position=last + 1,
            registered_at=now,
        )
        kind = "outreach.waitlisted"
    rank = waitlist_rank(registration)
    audit.record(
        actor=actor,
        action="outreach.register",
        obj=registration,
        status=registration.status,
        seat=registration.seat,
        position=registration.waitlist_position,
    )
    notify(
        recipient=person,
        kind=kind,
        context=notice_context(locked, registration, rank=rank),
        dedupe_key=f"{kind}:{registration.pk}",
        link=locked.get_absolute_url(),
        actor=actor,
    )
    return registration


@transaction.atomic
def registration_cancel(
    *, registration: Registration, actor: Any, reason: str = ""
) -> Registration:
    """Cancel a seat or a waitlist place; a freed seat goes to the first person waiting."""
    event = Event.objects.select_for_update().get(pk=registration.event_id)
    if clock.now() >= event.starts_at:
        raise ValidationError(_("The event has started: the registration can no longer change."))
    cancelled = transition(
        registration,
        Registration.Status.CANCELLED,
        actor=actor,
        reason=reason,
        extra_updates={"seat": None, "waitlist_position": None},
    )
    audit.record(actor=actor, action="outreach.registration_cancel", obj=cancelled, reason=reason)
    _fill_free_seats(event, actor=actor)
    return cancelled


def _fill_free_seats(event: Event, *, actor: Any | None) -> list[Registration]:
    """Promote waiting people, first position first, while seats are free (event row locked
    by the caller)."""
    promoted: list[Registration] = []
    if event.status != Event.Status.PUBLISHED or clock.now() >= event.starts_at:
        return promoted
    waiting = event.registrations.filter(status=Registration.Status.WAITLISTED).order_by(
        "waitlist_position"
    )
    for registration in waiting.select_related("person"):
        seat = _free_seat(event)
        if seat is None:
            break
        moved = transition(
            registration,
            Registration.Status.REGISTERED,
            actor=actor,
            reason="promoted from the waitlist",
            extra_updates={"seat": seat, "waitlist_position": None},
        )
        notify(
            recipient=registration.person,
            kind="outreach.promoted",
            context=notice_context(event, moved),
            dedupe_key=f"outreach.promoted:{moved.pk}",
            link=event.get_absolute_url(),
        )
        promoted.append(moved)
    return promoted


@transaction.atomic
def registration_mark_attendance(
    *, registration: Registration, attended: bool, actor: Any
) -> Registration:
    """Staff record who came (from the start of the event on). Attendance at an event with a
    training code writes the person's training record; correcting it to "did not attend"
    removes that record again."""
    event = registration.event
    if clock.now() < event.starts_at:
        raise ValidationError(_("Attendance can be recorded once the event has started."))
    target = Registration.Status.ATTENDED if attended else Registration.Status.NO_SHOW
    marked = transition(registration, target, actor=actor)
    if event.training_code:
        if attended:
            completed = event.starts_at.astimezone(clock.TOKYO).date()
            valid_until = (
                completed + dt.timedelta(days=event.training_valid_days)
                if event.training_valid_days
                else None
            )
            TrainingRecord.objects.get_or_create(
                person_id=marked.person_id,
                event=event,
                code=event.training_code,
                defaults={
                    "facility_id": event.facility_id,
                    "completed_on": completed,
                    "valid_until": valid_until,
                    "recorded_by": actor,
                },
            )
        else:
            TrainingRecord.objects.filter(
                person_id=marked.person_id, event=event, code=event.training_code
            ).delete()
    audit.record(actor=actor, action="outreach.attendance", obj=marked, attended=attended)
    return marked
