"""Who may see and do what in the support services (the one place for these rules).

Consultations
* The requester sees their own consultation: signed in (as its requester, or, for one opened
  without an account, with the same e-mail address once that address is verified on the
  account), or through the secret thread link e-mailed after verification.
* Staff work the queues: user-office staff (and system administrators) see every queue (they
  run the desk and route); beamline scientists see the science queue's unassigned consultations
  and the ones assigned to them, and nothing else.
* Unverified consultations are in nobody's queue.

Partner matching
* A company's need is seen by its owner only. A researcher sees a need only once the company has
  chosen to contact them (and until they decline). Staff see the funnel (counts), never a
  need's text.
* Any signed-in person may publish an expertise profile and describe needs of an organisation
  they are affiliated with.

Service orders
* The requester sees their orders; service staff
  (beamline scientists, user office, system administrators) see and work all orders.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404

from akari.accounts.roles import Role, has_role
from akari.services.models import (
    CompanyNeed,
    Consultation,
    MatchSuggestion,
    MembershipEnquiry,
    Queue,
    ServiceOrder,
)

DESK_ROLES = (Role.USER_OFFICE, Role.SYSTEM_ADMIN)
SCIENCE_ROLES = (Role.BEAMLINE_SCIENTIST,)
ORDER_STAFF_ROLES = (Role.BEAMLINE_SCIENTIST, Role.USER_OFFICE, Role.SYSTEM_ADMIN)


def signed_in(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


def is_desk_staff(user: Any) -> bool:
    return signed_in(user) and bool(user.is_superuser or has_role(user, *DESK_ROLES))


def is_consultation_staff(user: Any) -> bool:
    return is_desk_staff(user) or (signed_in(user) and has_role(user, *SCIENCE_ROLES))


def is_order_staff(user: Any) -> bool:
    return signed_in(user) and bool(user.is_superuser or has_role(user, *ORDER_STAFF_ROLES))


def shows_my_orders(user: Any) -> bool:
    return signed_in(user) and not is_order_staff(user)


def shows_my_consultations(user: Any) -> bool:
    return signed_in(user) and not is_consultation_staff(user)


def queues_of(user: Any) -> set[str]:
    """The queues whose new consultations ``user`` sees."""
    if is_desk_staff(user):
        return {str(q) for q in Queue}
    if signed_in(user) and has_role(user, *SCIENCE_ROLES):
        return {str(Queue.SCIENCE)}
    return set()


def _verified_email(user: Any) -> str | None:
    from allauth.account.models import EmailAddress

    verified = EmailAddress.objects.filter(user_id=user.pk, verified=True, email__iexact=user.email)
    return user.email if verified.exists() else None


def own_consultations(user: Any) -> QuerySet[Consultation]:
    """The consultations ``user`` opened (also without an account, with their verified address)."""
    if not signed_in(user):
        return Consultation.objects.none()
    mine = Q(requester_id=user.pk)
    email = _verified_email(user)
    if email:
        mine |= Q(requester__isnull=True, requester_email__iexact=email)
    return Consultation.objects.filter(mine)


def staff_consultations(user: Any) -> QuerySet[Consultation]:
    verified = Consultation.objects.filter(verified_at__isnull=False)
    if is_desk_staff(user):
        return verified
    queues = queues_of(user)
    if not queues:
        return Consultation.objects.none()
    return verified.filter(Q(assignee_id=user.pk) | Q(queue__in=queues, assignee__isnull=True))


def consultations_visible_to(user: Any) -> QuerySet[Consultation]:
    if not signed_in(user):
        return Consultation.objects.none()
    if is_consultation_staff(user):
        return (staff_consultations(user) | own_consultations(user)).distinct()
    return own_consultations(user)


def get_consultation_for(user: Any, pk: int) -> Consultation:
    try:
        return consultations_visible_to(user).select_related("facility", "assignee").get(pk=pk)
    except Consultation.DoesNotExist as missing:
        raise Http404("No such consultation.") from missing


def is_requester(user: Any, consultation: Consultation) -> bool:
    return own_consultations(user).filter(pk=consultation.pk).exists()


def can_work(user: Any, consultation: Consultation) -> bool:
    """Staff who may answer, assign and resolve this consultation."""
    if consultation.verified_at is None:
        return False
    return staff_consultations(user).filter(pk=consultation.pk).exists()


def can_assign_to(assignee: Any, consultation: Consultation) -> bool:
    return consultation.queue in queues_of(assignee)


def can_start_proposal(user: Any, consultation: Consultation) -> bool:
    return (
        consultation.proposal_id is None
        and consultation.verified_at is not None
        and is_requester(user, consultation)
    )


def enquiries_visible_to(user: Any) -> QuerySet[MembershipEnquiry]:
    if is_desk_staff(user):
        return MembershipEnquiry.objects.all()
    return MembershipEnquiry.objects.none()


# --- Matching ---------------------------------------------------------------------------------


def needs_owned_by(user: Any) -> QuerySet[CompanyNeed]:
    if not signed_in(user):
        return CompanyNeed.objects.none()
    return CompanyNeed.objects.filter(owner_id=user.pk)


def get_own_need(user: Any, pk: int) -> CompanyNeed:
    try:
        return needs_owned_by(user).select_related("organisation", "facility").get(pk=pk)
    except CompanyNeed.DoesNotExist as missing:
        raise Http404("No such need.") from missing


def requests_for_researcher(user: Any) -> QuerySet[MatchSuggestion]:
    """Suggestions whose need the researcher may read (the company chose to contact them)."""
    if not signed_in(user):
        return MatchSuggestion.objects.none()
    return MatchSuggestion.objects.filter(
        profile__person_id=user.pk, status__in=MatchSuggestion.DISCLOSED
    )


def can_see_need(user: Any, need: CompanyNeed) -> bool:
    if not signed_in(user):
        return False
    if need.owner_id == user.pk:
        return True
    return requests_for_researcher(user).filter(need=need).exists()


def get_request_for(user: Any, pk: int) -> MatchSuggestion:
    try:
        return (
            requests_for_researcher(user)
            .select_related("need__organisation", "need__owner", "profile")
            .get(pk=pk)
        )
    except MatchSuggestion.DoesNotExist as missing:
        raise Http404("No such request.") from missing


def can_answer(user: Any, suggestion: MatchSuggestion) -> bool:
    return (
        signed_in(user)
        and suggestion.profile.person_id == user.pk
        and suggestion.status == MatchSuggestion.Status.CONTACTED
    )


def can_see_funnel(user: Any) -> bool:
    return is_desk_staff(user) or (signed_in(user) and has_role(user, Role.MANAGEMENT))


# --- Orders -----------------------------------------------------------------------------------


def orders_visible_to(user: Any) -> QuerySet[ServiceOrder]:
    if is_order_staff(user):
        return ServiceOrder.objects.all()
    if not signed_in(user):
        return ServiceOrder.objects.none()
    return ServiceOrder.objects.filter(requester_id=user.pk)


def get_order_for(user: Any, pk: int) -> ServiceOrder:
    try:
        return (
            orders_visible_to(user)
            .select_related("facility", "requester", "organisation", "beamline", "invoice")
            .get(pk=pk)
        )
    except ServiceOrder.DoesNotExist as missing:
        raise Http404("No such order.") from missing


def is_order_requester(user: Any, order: ServiceOrder) -> bool:
    return signed_in(user) and order.requester_id == user.pk
