"""Who may see and do what in billing (the one place for these rules).

* Finance (and system administrators) see and do everything.
* A customer's billing contacts (:class:`BillingContact`) see their own organisation's issued
  invoices, statements and PDFs, and nothing else: another organisation's invoice does not exist
  for them (404), so member companies never learn of each other's invoices.
* Usage records: beamline scientists and the user office record and confirm them; the lead or a
  participant of a member-booked experiment may record and submit its usage for confirmation.
* The fee estimator is public.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404

from akari.accounts.roles import Role, has_role
from akari.beamtime.models import Experiment, UsageRecord
from akari.billing.models import BillingContact, Invoice

FINANCE_ROLES = (Role.FINANCE, Role.SYSTEM_ADMIN)
USAGE_STAFF_ROLES = (Role.BEAMLINE_SCIENTIST, Role.USER_OFFICE, Role.SYSTEM_ADMIN)


def _signed_in(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


def is_finance(user: Any) -> bool:
    return _signed_in(user) and bool(user.is_superuser or has_role(user, *FINANCE_ROLES))


def is_billing_contact(user: Any) -> bool:
    return _signed_in(user) and BillingContact.objects.filter(person=user, active=True).exists()


def shows_my_invoices(user: Any) -> bool:
    """Navigation: every signed-in person but finance (who has the whole of billing). Decided
    without a query (the page itself says when one is no billing contact)."""
    return _signed_in(user) and not is_finance(user)


def is_usage_staff(user: Any) -> bool:
    return _signed_in(user) and bool(user.is_superuser or has_role(user, *USAGE_STAFF_ROLES))


def can_see_usage_list(user: Any) -> bool:
    """Staff, and coalition members who led or took part in a member-booked experiment (they
    reach the list from "My invoices"; the navigation shows it to staff only, see
    :func:`is_usage_staff`)."""
    if is_usage_staff(user):
        return True
    return _signed_in(user) and experiments_for_usage(user).exists()


def invoices_visible_to(user: Any) -> QuerySet[Invoice]:
    if is_finance(user):
        return Invoice.objects.all()
    if not _signed_in(user):
        return Invoice.objects.none()
    organisations = BillingContact.objects.filter(person=user, active=True).values(
        "organisation_id"
    )
    return Invoice.objects.filter(customer__in=organisations).exclude(status=Invoice.Status.DRAFT)


def get_invoice_for(user: Any, pk: int) -> Invoice:
    """The invoice, if ``user`` may see it; 404 otherwise (never 403: its existence is
    confidential too)."""
    from akari.billing.selectors import invoice_detail

    try:
        return invoice_detail(invoices_visible_to(user), pk)
    except Invoice.DoesNotExist as missing:
        raise Http404("No such invoice.") from missing


def can_view_statement(user: Any, organisation: Any) -> bool:
    """Finance, or a billing contact of that very organisation."""
    if is_finance(user):
        return True
    return (
        _signed_in(user)
        and BillingContact.objects.filter(
            person_id=user.pk, organisation=organisation, active=True
        ).exists()
    )


def can_manage_invoice(user: Any, invoice: Invoice) -> bool:
    return is_finance(user)


def can_record_usage(user: Any, experiment: Experiment) -> bool:
    if not _signed_in(user) or experiment.status == Experiment.Status.CANCELLED:
        return False
    if is_usage_staff(user):
        return True
    return _is_member_experiment(user, experiment)


def _is_member_experiment(user: Any, experiment: Experiment) -> bool:
    if not hasattr(experiment, "coalition_booking"):
        return False
    return experiment.lead_id == user.pk or experiment.participants.filter(pk=user.pk).exists()


def can_confirm_usage(user: Any, usage: UsageRecord) -> bool:
    return is_usage_staff(user) and usage.status != UsageRecord.Status.CONFIRMED


def experiments_for_usage(user: Any) -> QuerySet[Experiment]:
    """Experiments whose usage ``user`` may record."""
    qs = Experiment.objects.exclude(status=Experiment.Status.CANCELLED)
    if is_usage_staff(user):
        return qs
    if not _signed_in(user):
        return qs.none()
    return (
        qs.filter(coalition_booking__isnull=False)
        .filter(Q(lead=user) | Q(participants=user))
        .distinct()
    )


def get_experiment_for_usage(user: Any, pk: int) -> Experiment:
    try:
        return experiments_for_usage(user).select_related("beamline").get(pk=pk)
    except Experiment.DoesNotExist as missing:
        raise Http404("No such experiment.") from missing
