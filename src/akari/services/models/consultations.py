"""The consultation desk: a request for advice, its thread, its attachments, and the coalition
membership enquiry a consultation can become."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from akari.core.models import TimeStampedModel


class Topic(models.TextChoices):
    FIRST_TIME = "first_time", pgettext_lazy("consultation", "First-time use")
    HOW_TO_APPLY = "how_to_apply", pgettext_lazy("consultation", "How to apply")
    BEAMLINE = "beamline", pgettext_lazy("consultation", "Which beamline or technique")
    INDUSTRIAL = "industrial", pgettext_lazy("consultation", "Industrial use")
    COALITION = "coalition", pgettext_lazy("consultation", "Coalition membership")
    ANALYSIS = "analysis", pgettext_lazy("consultation", "Data analysis")


class Queue(models.TextChoices):
    """The staff queue a consultation is routed to (see ``services.routing``)."""

    USER_OFFICE = "user_office", _("User office")
    INDUSTRY = "industry", _("Industry and coalition office")
    SCIENCE = "science", _("Beamline scientists")


class Consultation(TimeStampedModel):
    class Status(models.TextChoices):
        NEW = "new", pgettext_lazy("consultation", "New")
        ASSIGNED = "assigned", pgettext_lazy("consultation", "Assigned")
        WAITING = "waiting", pgettext_lazy("consultation", "Waiting for requester")
        RESOLVED = "resolved", pgettext_lazy("consultation", "Resolved")

    TRANSITIONS = {
        Status.NEW: {Status.ASSIGNED, Status.RESOLVED},
        Status.ASSIGNED: {Status.WAITING, Status.RESOLVED},
        Status.WAITING: {Status.ASSIGNED, Status.RESOLVED},
        Status.RESOLVED: {Status.ASSIGNED},  # reopened
    }
    OPEN = (Status.NEW, Status.ASSIGNED, Status.WAITING)

    facility = models.ForeignKey(
        "facility.Facility",
        on_delete=models.PROTECT,
        related_name="consultations",
        verbose_name=_("facility"),
    )
    topic = models.CharField(_("topic"), max_length=20, choices=Topic)
    queue = models.CharField(_("queue"), max_length=20, choices=Queue)
    status = models.CharField(_("status"), max_length=20, choices=Status, default=Status.NEW)
    subject = models.CharField(_("subject"), max_length=200)
    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="consultations",
        verbose_name=_("requester"),
    )
    requester_name = models.CharField(_("your name"), max_length=200)
    requester_email = models.EmailField(_("e-mail address"))
    organisation_name = models.CharField(_("organisation"), max_length=200, blank=True)
    language = models.CharField(_("language"), max_length=5, default="ja")
    verified_at = models.DateTimeField(
        _("e-mail verified at"),
        null=True,
        blank=True,
        help_text=_("A consultation enters the staff queue once its e-mail address is verified."),
    )
    thread_nonce = models.CharField(_("thread link secret"), max_length=32)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assigned_consultations",
        verbose_name=_("assigned to"),
    )
    first_response_at = models.DateTimeField(_("first staff response"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    proposal = models.ForeignKey(
        "proposals.Proposal",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("proposal draft"),
    )

    class Meta:
        verbose_name = _("consultation")
        verbose_name_plural = _("consultations")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["queue", "status"])]

    def __str__(self) -> str:
        return f"{self.reference} {self.subject}"

    @property
    def reference(self) -> str:
        return f"C-{self.pk:05d}" if self.pk else "C-new"

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN


class ConsultationMessage(TimeStampedModel):
    consultation = models.ForeignKey(
        Consultation,
        on_delete=models.CASCADE,
        related_name="messages",
        verbose_name=_("consultation"),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("author"),
    )
    from_staff = models.BooleanField(_("from staff"), default=False)
    body = models.TextField(_("message"))

    class Meta:
        verbose_name = _("consultation message")
        verbose_name_plural = _("consultation messages")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.consultation_id}: {self.body[:40]}"


class ConsultationAttachment(TimeStampedModel):
    message = models.ForeignKey(
        ConsultationMessage,
        on_delete=models.CASCADE,
        related_name="attachments",
        verbose_name=_("message"),
    )
    file = models.FileField(_("file"), upload_to="consultations/%Y/%m/")
    name = models.CharField(_("file name"), max_length=200)
    size = models.PositiveIntegerField(_("size (bytes)"))
    content_type = models.CharField(_("content type"), max_length=100)

    class Meta:
        verbose_name = _("consultation attachment")
        verbose_name_plural = _("consultation attachments")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.name


class MembershipEnquiry(TimeStampedModel):
    """A prospective member's enquiry about joining the coalition, made from a consultation
    (coalition has no enquiry record of its own; the coalition office works these here)."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        CONTACTED = "contacted", _("Contacted")
        CLOSED = "closed", _("Closed")

    TRANSITIONS = {
        Status.OPEN: {Status.CONTACTED, Status.CLOSED},
        Status.CONTACTED: {Status.CLOSED},
        Status.CLOSED: set(),
    }

    facility = models.ForeignKey(
        "facility.Facility",
        on_delete=models.PROTECT,
        related_name="membership_enquiries",
        verbose_name=_("facility"),
    )
    consultation = models.OneToOneField(
        Consultation,
        on_delete=models.PROTECT,
        related_name="membership_enquiry",
        verbose_name=_("consultation"),
    )
    status = models.CharField(_("status"), max_length=20, choices=Status, default=Status.OPEN)
    organisation_name = models.CharField(_("organisation"), max_length=200)
    contact_name = models.CharField(_("contact person"), max_length=200)
    contact_email = models.EmailField(_("e-mail address"))
    contact = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("contact account"),
    )
    interest = models.TextField(_("what they asked"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name=_("created by"),
    )

    class Meta:
        verbose_name = _("coalition membership enquiry")
        verbose_name_plural = _("coalition membership enquiries")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.organisation_name
