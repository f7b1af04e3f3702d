"""Who sees and does what in the coalition.

* Member people (a :class:`MemberPerson` row) see their own member's balance, history,
  bookings, requests and waitlist; those with the booking right book. In the calendar they see
  free/busy only: never which member holds busy time (selectors return no owner).
* Member administrators (role MEMBER_ADMIN and ``is_admin`` on the member) manage the member's
  people.
* The user office and system administrators see every booking with its member, open and close
  booking windows, admit members, run the allocation and book for members at any time;
  facility management sees the staff pages read-only.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from akari.accounts.roles import Role, has_role
from akari.coalition.models import Booking, BookingRequest, MemberPerson, Membership, WaitlistEntry

STAFF_ROLES = (Role.USER_OFFICE, Role.SYSTEM_ADMIN)
VIEW_ROLES = (*STAFF_ROLES, Role.MANAGEMENT)


def _signed_in(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


def can_manage(user: Any) -> bool:
    return _signed_in(user) and bool(user.is_superuser or has_role(user, *STAFF_ROLES))


def can_view_staff(user: Any) -> bool:
    return _signed_in(user) and bool(user.is_superuser or has_role(user, *VIEW_ROLES))


def member_rows(user: Any) -> list[MemberPerson]:
    """The user's member-person rows (cached on the user object for the request)."""
    if not _signed_in(user):
        return []
    cached = getattr(user, "_coalition_rows", None)
    if cached is None:
        cached = list(
            MemberPerson.objects.filter(person=user)
            .select_related("membership__organisation")
            .order_by("membership__organisation__name_en")
        )
        user._coalition_rows = cached
    return cached


def prime_member_rows(user: Any, rows: list[MemberPerson]) -> None:
    """Set the request's cache of :func:`member_rows` (rows read with the user, in its order,
    with ``membership__organisation``: :class:`akari.coalition.authentication.
    MemberTokenAuthentication`)."""
    user._coalition_rows = rows


def is_member_person(user: Any) -> bool:
    return bool(member_rows(user))


def can_use_coalition(user: Any) -> bool:
    return is_member_person(user) or can_view_staff(user)


def memberships_of(user: Any) -> list[Membership]:
    return [row.membership for row in member_rows(user)]


def bookable_memberships(user: Any) -> list[Membership]:
    return [
        row.membership for row in member_rows(user) if row.can_book and row.membership.is_active
    ]


def get_membership_for(user: Any, pk: int | None = None, *, booking: bool = False) -> Membership:
    """One of the user's memberships (the first when ``pk`` is None); 404 otherwise."""
    choices = bookable_memberships(user) if booking else memberships_of(user)
    for membership in choices:
        if pk is None or membership.pk == pk:
            return membership
    raise Http404("No such membership.")


def can_administer(user: Any, membership: Membership) -> bool:
    if can_manage(user):
        return True
    return has_role(user, Role.MEMBER_ADMIN) and any(
        row.is_admin and row.membership_id == membership.pk for row in member_rows(user)
    )


def administered_memberships(user: Any) -> list[Membership]:
    if not has_role(user, Role.MEMBER_ADMIN):
        return []
    return [row.membership for row in member_rows(user) if row.is_admin]


def bookings_visible_to(user: Any) -> QuerySet[Booking]:
    if can_view_staff(user):
        return Booking.objects.all()
    return Booking.objects.filter(membership__in=[m.pk for m in memberships_of(user)])


def get_booking_for(user: Any, pk: int) -> Booking:
    booking = (
        bookings_visible_to(user)
        .select_related("beamline", "membership__organisation", "experiment", "booked_by")
        .filter(pk=pk)
        .first()
    )
    if booking is None:
        raise Http404("No such booking.")
    return booking


def can_cancel(user: Any, booking: Booking) -> bool:
    if can_manage(user):
        return True
    return any(
        row.can_book and row.membership_id == booking.membership_id for row in member_rows(user)
    )


def require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def get_request_for(user: Any, pk: int) -> BookingRequest:
    request = (
        BookingRequest.objects.filter(pk=pk, membership__in=[m.pk for m in memberships_of(user)])
        .select_related("membership", "beamline")
        .first()
    )
    if request is None:
        raise Http404("No such request.")
    return request


def get_waitlist_entry_for(user: Any, pk: int) -> WaitlistEntry:
    entry = (
        WaitlistEntry.objects.filter(
            pk=pk, membership__in=[m.pk for m in bookable_memberships(user)]
        )
        .select_related("membership__organisation", "beamline__facility")
        .first()
    )
    if entry is None:
        raise Http404("No such waitlist entry.")
    return entry


def get_member_person_for(user: Any, pk: int) -> MemberPerson:
    row = MemberPerson.objects.select_related("membership", "person").filter(pk=pk).first()
    if row is None or not can_administer(user, row.membership):
        raise Http404("No such person.")
    return row
