"""The consultation desk.

Anyone opens a consultation; without an account (or with an address other than the account's
verified one) it waits for the requester to follow a signed, time-limited link e-mailed to them
(``AKARI_CONSULTATION_VERIFY_HOURS``, default 72) before it enters the staff queue. After that,
the requester follows the thread through a secret link (signed, never expiring, revocable by
changing ``thread_nonce``) or, signed in with the same verified address, in "My consultations".

The topic decides the queue (:func:`queue_for`); a staff reply to a new consultation assigns it
to the replier; a staff reply waits for the requester; the requester's reply puts it back with
staff (and reopens a resolved one).
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _

from akari.accounts.models import User
from akari.accounts.roles import Role
from akari.core import audit, clock
from akari.core.workflow import transition
from akari.facility.models import Facility
from akari.notifications.services import notify
from akari.services import mail, permissions
from akari.services.models import (
    Consultation,
    ConsultationAttachment,
    ConsultationMessage,
    MembershipEnquiry,
    Queue,
    Topic,
)
from akari.services.services import attachments

VERIFY_SALT = "akari.services.consultation.verify"
THREAD_SALT = "akari.services.consultation.thread"
DEFAULT_VERIFY_HOURS = 72
DEFAULT_DAILY_LIMIT = 5

# Default routing (``AKARI_CONSULTATION_QUEUES`` overrides it, topic code -> queue code).
DEFAULT_QUEUES: dict[str, str] = {
    Topic.FIRST_TIME: Queue.USER_OFFICE,
    Topic.HOW_TO_APPLY: Queue.USER_OFFICE,
    Topic.BEAMLINE: Queue.SCIENCE,
    Topic.ANALYSIS: Queue.SCIENCE,
    Topic.INDUSTRIAL: Queue.INDUSTRY,
    Topic.COALITION: Queue.INDUSTRY,
}
# The roles told of a new consultation in each queue.
QUEUE_ROLES: dict[str, tuple[str, ...]] = {
    Queue.USER_OFFICE: (Role.USER_OFFICE,),
    Queue.INDUSTRY: (Role.USER_OFFICE,),
    Queue.SCIENCE: (Role.BEAMLINE_SCIENTIST,),
}


def queue_for(topic: str) -> str:
    table = {**DEFAULT_QUEUES, **getattr(settings, "AKARI_CONSULTATION_QUEUES", {})}
    return str(table[topic])


def verify_hours() -> int:
    return int(getattr(settings, "AKARI_CONSULTATION_VERIFY_HOURS", DEFAULT_VERIFY_HOURS))


def daily_limit() -> int:
    """Unverified consultations one address may open in 24 hours (the form sends e-mail to any
    address typed in, so it must not become a way to flood someone's mailbox)."""
    return int(getattr(settings, "AKARI_CONSULTATION_DAILY_LIMIT", DEFAULT_DAILY_LIMIT))


# --- Tokens -----------------------------------------------------------------------------------


def verification_token(consultation: Consultation) -> str:
    return signing.dumps(
        {"c": consultation.pk, "e": consultation.requester_email.lower()}, salt=VERIFY_SALT
    )


def thread_token(consultation: Consultation) -> str:
    return signing.dumps({"c": consultation.pk, "n": consultation.thread_nonce}, salt=THREAD_SALT)


def thread_path(consultation: Consultation) -> str:
    return reverse("services:consultation-thread", args=[thread_token(consultation)])


def from_thread_token(token: str) -> Consultation | None:
    """The consultation a thread link opens, or None (bad, forged or revoked link)."""
    try:
        data = signing.loads(token, salt=THREAD_SALT)
    except signing.BadSignature:
        return None
    found = (
        Consultation.objects.filter(pk=data.get("c"), verified_at__isnull=False)
        .select_related("facility", "assignee")
        .first()
    )
    if found is None or not secrets.compare_digest(found.thread_nonce, str(data.get("n"))):
        return None
    return found


# --- Opening and verifying --------------------------------------------------------------------


def _add_message(
    consultation: Consultation,
    *,
    body: str,
    author: Any | None,
    from_staff: bool,
    files: Sequence[UploadedFile],
) -> ConsultationMessage:
    content_types = attachments.check_all(list(files))
    if not body.strip():
        raise ValidationError({"body": _("Write a message.")})
    message = ConsultationMessage.objects.create(
        consultation=consultation,
        author=author if getattr(author, "is_authenticated", False) else None,
        from_staff=from_staff,
        body=body.strip(),
    )
    for upload, content_type in zip(files, content_types, strict=True):
        ConsultationAttachment.objects.create(
            message=message,
            file=upload,
            name=(upload.name or "file")[:200],
            size=upload.size or 0,
            content_type=content_type,
        )
    return message


def _account_address_verified(actor: Any, email: str) -> bool:
    from allauth.account.models import EmailAddress

    if not getattr(actor, "is_authenticated", False):
        return False
    return EmailAddress.objects.filter(
        user_id=actor.pk, email__iexact=email, verified=True
    ).exists()


@transaction.atomic
def consultation_open(
    *,
    facility: Facility,
    topic: str,
    subject: str,
    body: str,
    requester_name: str,
    requester_email: str,
    organisation_name: str = "",
    language: str = "ja",
    files: Sequence[UploadedFile] = (),
    actor: Any | None,
) -> Consultation:
    """Open a consultation. Signed in with this verified address, it enters the queue at once;
    otherwise a verification link is e-mailed and it waits."""
    if topic not in Topic.values:
        raise ValidationError({"topic": _("Choose a topic.")})
    recent = Consultation.objects.filter(
        requester_email__iexact=requester_email.strip(),
        verified_at__isnull=True,
        created_at__gte=clock.now() - dt.timedelta(hours=24),
    )
    if recent.count() >= daily_limit():
        raise ValidationError(
            _(
                "Several consultations from this address are waiting for their e-mail "
                "confirmation. Please follow the link we sent, or try again tomorrow."
            ),
            code="limit",
        )
    signed_in = getattr(actor, "is_authenticated", False)
    consultation = Consultation.objects.create(
        facility=facility,
        topic=topic,
        queue=queue_for(topic),
        subject=subject.strip()[:200],
        requester=actor if signed_in else None,
        requester_name=requester_name.strip()[:200],
        requester_email=requester_email.strip(),
        organisation_name=organisation_name.strip()[:200],
        language=language if language in {"ja", "en"} else "ja",
        thread_nonce=secrets.token_hex(16),
    )
    _add_message(consultation, body=body, author=actor, from_staff=False, files=files)
    audit.record(actor=actor, action="services.consultation_opened", obj=consultation, topic=topic)
    if _account_address_verified(actor, consultation.requester_email):
        _enter_queue(consultation, actor=actor)
    else:
        mail.send_later(
            to=consultation.requester_email,
            template="verify",
            language=consultation.language,
            context={
                "name": consultation.requester_name,
                "subject": consultation.subject,
                "hours": verify_hours(),
                "url": mail.absolute(
                    reverse("services:consultation-verify", args=[verification_token(consultation)])
                ),
            },
        )
    return consultation


def queue_staff(queue: str) -> QuerySet[User]:
    """The people who work ``queue`` (told of its new consultations, may be assigned)."""
    roles = [str(r) for r in QUEUE_ROLES.get(queue, ())]
    return User.objects.filter(is_active=True, groups__name__in=roles).distinct().order_by("pk")


def _queue_staff(queue: str) -> list[User]:
    return list(queue_staff(queue))


def _enter_queue(consultation: Consultation, *, actor: Any | None) -> None:
    consultation.verified_at = clock.now()
    consultation.save(update_fields=["verified_at"])
    link = reverse("services:consultation", args=[consultation.pk])
    for person in _queue_staff(consultation.queue):
        notify(
            recipient=person,
            kind="services.consultation_new",
            context={
                "reference": consultation.reference,
                "subject": consultation.subject,
                "queue": consultation.get_queue_display(),
            },
            dedupe_key=f"services.consultation_new:{consultation.pk}",
            link=link,
        )
    if consultation.requester_id is None:
        mail.send_later(
            to=consultation.requester_email,
            template="received",
            language=consultation.language,
            context={
                "name": consultation.requester_name,
                "reference": consultation.reference,
                "subject": consultation.subject,
                "url": mail.absolute(thread_path(consultation)),
            },
        )


@transaction.atomic
def consultation_verify(*, token: str) -> Consultation:
    """Follow the verification link: the consultation enters its queue (once; a second click
    changes nothing). A bad or expired link is a translated ``ValidationError``."""
    try:
        data = signing.loads(token, salt=VERIFY_SALT, max_age=verify_hours() * 3600)
    except signing.SignatureExpired as expired:
        raise ValidationError(
            _("This link has expired. Please open the consultation again."), code="expired"
        ) from expired
    except signing.BadSignature as bad:
        raise ValidationError(_("This link is not valid."), code="invalid") from bad
    consultation = Consultation.objects.select_for_update().filter(pk=data.get("c")).first()
    if consultation is None or consultation.requester_email.lower() != data.get("e"):
        raise ValidationError(_("This link is not valid."), code="invalid")
    if consultation.verified_at is None:
        _enter_queue(consultation, actor=None)
        audit.record(actor=None, action="services.consultation_verified", obj=consultation)
    return consultation


# --- Working a consultation -------------------------------------------------------------------


def _notify_requester(consultation: Consultation, message: ConsultationMessage) -> None:
    context = {
        "reference": consultation.reference,
        "subject": consultation.subject,
        "body": message.body,
    }
    if consultation.requester_id is not None:
        notify(
            recipient=consultation.requester,  # type: ignore[arg-type]
            kind="services.consultation_reply",
            context=context,
            dedupe_key=f"services.consultation_reply:{message.pk}",
            link=reverse("services:consultation", args=[consultation.pk]),
        )
    else:
        mail.send_later(
            to=consultation.requester_email,
            template="reply",
            language=consultation.language,
            context={
                **context,
                "name": consultation.requester_name,
                "url": mail.absolute(thread_path(consultation)),
            },
        )


def _notify_staff_of_reply(consultation: Consultation, message: ConsultationMessage) -> None:
    people = (
        [consultation.assignee]
        if consultation.assignee is not None
        else _queue_staff(consultation.queue)
    )
    for person in people:
        notify(
            recipient=person,
            kind="services.consultation_answered",
            context={"reference": consultation.reference, "subject": consultation.subject},
            dedupe_key=f"services.consultation_answered:{message.pk}",
            link=reverse("services:consultation", args=[consultation.pk]),
        )


@transaction.atomic
def consultation_staff_reply(
    *,
    consultation: Consultation,
    body: str,
    actor: User,
    files: Sequence[UploadedFile] = (),
    waiting: bool = True,
) -> ConsultationMessage:
    """A staff answer. A new consultation is assigned to the replier; with ``waiting`` it then
    waits for the requester. The first staff answer fixes the first-response time."""
    if not permissions.can_work(actor, consultation):
        raise ValidationError(_("You cannot answer this consultation."))
    locked = Consultation.objects.select_for_update().get(pk=consultation.pk)
    message = _add_message(locked, body=body, author=actor, from_staff=True, files=files)
    if locked.first_response_at is None:
        locked.first_response_at = message.created_at
        locked.save(update_fields=["first_response_at"])
    if locked.status in (Consultation.Status.NEW, Consultation.Status.RESOLVED):
        locked = transition(
            locked, Consultation.Status.ASSIGNED, actor=actor, extra_updates={"assignee": actor}
        )
    if waiting and locked.status == Consultation.Status.ASSIGNED:
        locked = transition(locked, Consultation.Status.WAITING, actor=actor)
    _notify_requester(locked, message)
    audit.record(actor=actor, action="services.consultation_answered", obj=locked)
    consultation.refresh_from_db()
    return message


@transaction.atomic
def consultation_requester_reply(
    *,
    consultation: Consultation,
    body: str,
    actor: Any | None,
    files: Sequence[UploadedFile] = (),
) -> ConsultationMessage:
    """The requester writes (signed in or through the thread link; the view checked which).
    A waiting or resolved consultation goes back to staff."""
    locked = Consultation.objects.select_for_update().get(pk=consultation.pk)
    if locked.verified_at is None:
        raise ValidationError(_("Please verify your e-mail address first."))
    message = _add_message(locked, body=body, author=actor, from_staff=False, files=files)
    if locked.status in (Consultation.Status.WAITING, Consultation.Status.RESOLVED):
        extra = {"resolved_at": None} if locked.status == Consultation.Status.RESOLVED else {}
        locked = transition(locked, Consultation.Status.ASSIGNED, actor=actor, extra_updates=extra)
    _notify_staff_of_reply(locked, message)
    consultation.refresh_from_db()
    return message


@transaction.atomic
def consultation_assign(*, consultation: Consultation, assignee: User, actor: User) -> Consultation:
    if not permissions.can_work(actor, consultation):
        raise ValidationError(_("You cannot work on this consultation."))
    if not permissions.can_assign_to(assignee, consultation):
        raise ValidationError(
            _("%(name)s does not work the queue “%(queue)s”.")
            % {"name": assignee, "queue": consultation.get_queue_display()}
        )
    if consultation.status == Consultation.Status.ASSIGNED:
        consultation.assignee = assignee
        consultation.save(update_fields=["assignee"])
        result = consultation
    else:
        result = transition(
            consultation,
            Consultation.Status.ASSIGNED,
            actor=actor,
            extra_updates={"assignee": assignee, "resolved_at": None},
        )
    audit.record(
        actor=actor, action="services.consultation_assigned", obj=result, assignee=assignee.pk
    )
    if assignee.pk != actor.pk:
        notify(
            recipient=assignee,
            kind="services.consultation_assigned",
            context={"reference": result.reference, "subject": result.subject},
            dedupe_key=f"services.consultation_assigned:{result.pk}:{clock.now().isoformat()}",
            link=reverse("services:consultation", args=[result.pk]),
        )
    return result


@transaction.atomic
def consultation_resolve(
    *, consultation: Consultation, actor: User, reason: str = ""
) -> Consultation:
    if not permissions.can_work(actor, consultation):
        raise ValidationError(_("You cannot work on this consultation."))
    result = transition(
        consultation,
        Consultation.Status.RESOLVED,
        actor=actor,
        reason=reason,
        extra_updates={"resolved_at": clock.now()},
    )
    audit.record(actor=actor, action="services.consultation_resolved", obj=result)
    return result


# --- Converting -------------------------------------------------------------------------------


@transaction.atomic
def consultation_start_proposal(
    *, consultation: Consultation, call: Any, route: Any, actor: User
) -> Any:
    """The requester starts a proposal draft from their consultation: the subject becomes the
    title, the first message the abstract, the organisation a line of the purpose."""
    from akari.proposals.services.drafts import proposal_create, proposal_update

    if not permissions.can_start_proposal(actor, consultation):
        raise ValidationError(_("Only the requester can start a proposal from a consultation."))
    first = consultation.messages.order_by("created_at", "pk").first()
    proposal = proposal_create(call=call, route=route, actor=actor)
    data: dict[str, Any] = {"title": consultation.subject, "abstract": first.body if first else ""}
    if consultation.organisation_name:
        data["purpose"] = _("Organisation: %(name)s") % {"name": consultation.organisation_name}
    proposal = proposal_update(proposal=proposal, actor=actor, data=data)
    Consultation.objects.filter(pk=consultation.pk).update(proposal=proposal)
    consultation.proposal = proposal
    audit.record(
        actor=actor,
        action="services.consultation_to_proposal",
        obj=consultation,
        proposal=proposal.pk,
    )
    return proposal


@transaction.atomic
def consultation_to_enquiry(*, consultation: Consultation, actor: User) -> MembershipEnquiry:
    """Staff turn a consultation into a coalition membership enquiry (once)."""
    if not permissions.can_work(actor, consultation):
        raise ValidationError(_("You cannot work on this consultation."))
    if hasattr(consultation, "membership_enquiry"):
        raise ValidationError(_("This consultation is already a membership enquiry."))
    body = "\n\n".join(m.body for m in consultation.messages.filter(from_staff=False))
    enquiry = MembershipEnquiry.objects.create(
        facility=consultation.facility,
        consultation=consultation,
        organisation_name=consultation.organisation_name or consultation.requester_name,
        contact_name=consultation.requester_name,
        contact_email=consultation.requester_email,
        contact=consultation.requester,
        interest=body,
        created_by=actor,
    )
    audit.record(actor=actor, action="services.enquiry_created", obj=enquiry)
    return enquiry


@transaction.atomic
def enquiry_set_status(*, enquiry: MembershipEnquiry, to: str, actor: User) -> MembershipEnquiry:
    if not permissions.is_desk_staff(actor):
        raise ValidationError(_("You cannot work on membership enquiries."))
    return transition(enquiry, to, actor=actor)
