"""Background work of the coalition (run by the task worker, ``manage.py db_worker``).

The booking confirmation is told from here: the booking writes the task row in its own
transaction (the worker sees it once the booking commits), so the booking hot path pays one task
row instead of rendering the notification itself."""

from __future__ import annotations

from django.db import transaction
from django.tasks import task

from akari.coalition import notices
from akari.coalition.models import Booking
from akari.coalition.services import booking_context


@task()
def tell_booking_confirmed(booking_id: int) -> int:
    booking = (
        Booking.objects.select_related("beamline", "booked_by", "membership__organisation")
        .filter(pk=booking_id)
        .first()
    )
    if booking is None:
        return 0
    with transaction.atomic():
        return notices.tell(
            [booking.booked_by],
            event="booking_confirmed",
            context=booking_context(booking),
            dedupe=str(booking.pk),
            link="/coalition/bookings/",
        )
