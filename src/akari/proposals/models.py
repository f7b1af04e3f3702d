"""Calls for proposals and the proposals themselves (the shared-use route).

Rules (granularity, team size, lead times, review path, timelines) are never constants here:
they come from the policy version the call was opened under (``Call.policy_version``) and the
proposal's access route (``Proposal.route``), both from the ``policies`` app.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from akari.core.i18n import localized
from akari.core.models import TimeStampedModel


class ResearchField(TimeStampedModel):
    """A research field: proposals pick one; review panels are organised by field."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name_ja = models.CharField(_("name (Japanese)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("research field")
        verbose_name_plural = _("research fields")
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return localized(self, "name")


class Call(TimeStampedModel):
    """A call for proposals of one programme for one beamtime period (e.g. 2026B), or the
    continuous "anytime" intake of a programme (urgent, time-designated, 1-hour requests)."""

    class Kind(models.TextChoices):
        PERIODIC = "periodic", _("Call with a deadline")
        ANYTIME = "anytime", _("Anytime requests")

    class Status(models.TextChoices):
        DRAFT = "draft", _("In preparation")
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed, under review")
        DECIDED = "decided", _("Decided")

    TRANSITIONS = {
        Status.DRAFT: {Status.OPEN},
        Status.OPEN: {Status.CLOSED},
        Status.CLOSED: {Status.DECIDED, Status.OPEN},
        Status.DECIDED: set(),
    }

    programme = models.ForeignKey(
        "policies.Programme",
        on_delete=models.PROTECT,
        related_name="calls",
        verbose_name=_("programme"),
    )
    policy_version = models.ForeignKey(
        "policies.PolicyVersion",
        on_delete=models.PROTECT,
        related_name="calls",
        verbose_name=_("policy version"),
        help_text=_("The rules this call runs under (the version in force when it was created)."),
    )
    code = models.CharField(_("code"), max_length=30, help_text=_("e.g. 2026B"))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind, default=Kind.PERIODIC)
    title_ja = models.CharField(_("title (Japanese)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200)
    status = models.CharField(_("status"), max_length=20, choices=Status, default=Status.DRAFT)
    routes = models.ManyToManyField(
        "policies.AccessRoute",
        related_name="calls",
        verbose_name=_("access routes accepted"),
    )
    period_start = models.DateField(_("beamtime period starts"))
    period_end = models.DateField(_("beamtime period ends"))
    opens_at = models.DateTimeField(_("submission opens"))
    closes_at = models.DateTimeField(
        _("submission deadline"), null=True, blank=True, help_text=_("Empty for anytime intake.")
    )
    technical_review_due = models.DateField(_("technical review due"), null=True, blank=True)
    peer_review_due = models.DateField(_("peer review due"), null=True, blank=True)
    committee_date = models.DateField(_("selection committee"), null=True, blank=True)
    notification_date = models.DateField(_("applicants notified by"), null=True, blank=True)

    class Meta:
        verbose_name = _("call for proposals")
        verbose_name_plural = _("calls for proposals")
        ordering = ["-period_start", "programme__code", "code"]
        constraints = [
            # Proposal numbers start with the call code, so a code is unique across programmes
            # (e.g. 2026B for SPring-8, NT2026B for NanoTerasu shared use).
            models.UniqueConstraint(fields=["code"], name="proposals_call_code_unique"),
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")),
                name="proposals_call_period_ordered",
            ),
            models.CheckConstraint(
                condition=Q(closes_at__isnull=True) | Q(closes_at__gt=models.F("opens_at")),
                name="proposals_call_window_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.programme.code} {self.code}"

    def get_absolute_url(self) -> str:
        return reverse("proposals:call", args=[self.pk])


class CallBeamline(models.Model):
    """A beamline offered in a call, with the beamtime available (in the programme's unit)."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="offered_beamlines")
    beamline = models.ForeignKey(
        "facility.Beamline", on_delete=models.PROTECT, related_name="+", verbose_name=_("beamline")
    )
    units_available = models.PositiveIntegerField(
        _("beamtime available"), help_text=_("In the programme's time unit (shifts or hours).")
    )

    class Meta:
        verbose_name = _("beamline offered")
        verbose_name_plural = _("beamlines offered")
        ordering = ["beamline__code"]
        constraints = [
            models.UniqueConstraint(fields=["call", "beamline"], name="proposals_callbeamline_once")
        ]

    def __str__(self) -> str:
        return f"{self.call} {self.beamline.code}"


class Hazard(models.TextChoices):
    """Sample hazards an applicant declares (the safety review reads them)."""

    TOXIC = "toxic", _("Toxic")
    FLAMMABLE = "flammable", _("Flammable or explosive")
    CORROSIVE = "corrosive", _("Corrosive")
    RADIOACTIVE = "radioactive", _("Radioactive")
    BIOLOGICAL = "biological", _("Biological material")
    NANOMATERIAL = "nanomaterial", _("Nanomaterial")
    HIGH_PRESSURE_GAS = "high_pressure_gas", _("High-pressure gas")
    CRYOGENIC = "cryogenic", _("Cryogenic liquid")
    LASER = "laser", _("Laser (class 3B or 4)")


class Proposal(TimeStampedModel):
    """A request for beamtime. Internal review states are never shown to applicants: see
    :attr:`public_status`."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        TECHNICAL_REVIEW = "technical_review", _("Technical review")
        PEER_REVIEW = "peer_review", _("Peer review")
        COMMITTEE = "committee", _("Selection committee")
        ACCEPTED = "accepted", _("Accepted")
        WAITLISTED = "waitlisted", _("Waitlisted")
        REJECTED = "rejected", _("Not accepted")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    class PublicStatus(models.TextChoices):
        DRAFT = "draft", _("Draft")
        UNDER_REVIEW = "under_review", _("Under review")
        ACCEPTED = "accepted", _("Accepted")
        WAITLISTED = "waitlisted", _("On the waiting list")
        NOT_ACCEPTED = "not_accepted", _("Not accepted")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    TRANSITIONS = {
        Status.DRAFT: {Status.SUBMITTED},
        Status.SUBMITTED: {Status.TECHNICAL_REVIEW, Status.WITHDRAWN},
        # Peer review is skipped for routes whose review path is technical/safety only.
        Status.TECHNICAL_REVIEW: {Status.PEER_REVIEW, Status.COMMITTEE, Status.WITHDRAWN},
        Status.PEER_REVIEW: {Status.COMMITTEE, Status.WITHDRAWN},
        Status.COMMITTEE: {
            Status.ACCEPTED,
            Status.WAITLISTED,
            Status.REJECTED,
            Status.WITHDRAWN,
        },
        # A waitlisted proposal is promoted when beamtime frees up, or closed at period end.
        # Back to the committee: a decision corrected before the call's decisions are published
        # (the selection service allows it only then).
        Status.WAITLISTED: {Status.ACCEPTED, Status.REJECTED, Status.WITHDRAWN, Status.COMMITTEE},
        # The PI may still cancel accepted beamtime; it then goes to the waitlist.
        Status.ACCEPTED: {Status.WITHDRAWN, Status.COMMITTEE},
        Status.REJECTED: {Status.COMMITTEE},
        Status.WITHDRAWN: set(),
    }

    _PUBLIC = {
        Status.DRAFT: PublicStatus.DRAFT,
        Status.SUBMITTED: PublicStatus.UNDER_REVIEW,
        Status.TECHNICAL_REVIEW: PublicStatus.UNDER_REVIEW,
        Status.PEER_REVIEW: PublicStatus.UNDER_REVIEW,
        Status.COMMITTEE: PublicStatus.UNDER_REVIEW,
        Status.ACCEPTED: PublicStatus.ACCEPTED,
        Status.WAITLISTED: PublicStatus.WAITLISTED,
        Status.REJECTED: PublicStatus.NOT_ACCEPTED,
        Status.WITHDRAWN: PublicStatus.WITHDRAWN,
    }

    call = models.ForeignKey(
        Call, on_delete=models.PROTECT, related_name="proposals", verbose_name=_("call")
    )
    route = models.ForeignKey(
        "policies.AccessRoute",
        on_delete=models.PROTECT,
        related_name="proposals",
        verbose_name=_("access route"),
    )
    number = models.CharField(
        _("proposal number"),
        max_length=30,
        null=True,
        blank=True,
        unique=True,
        help_text=_("Given at submission, e.g. 2026B0042."),
    )
    status = models.CharField(_("status"), max_length=20, choices=Status, default=Status.DRAFT)
    title = models.CharField(_("title"), max_length=300, blank=True)
    abstract = models.TextField(_("abstract"), blank=True)
    purpose = models.TextField(_("purpose and expected results"), blank=True)
    field = models.ForeignKey(
        ResearchField,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="proposals",
        verbose_name=_("research field"),
    )
    keywords = models.JSONField(_("keywords"), default=list, blank=True)
    samples = models.TextField(_("samples"), blank=True)
    hazards = models.JSONField(
        _("hazards"), default=list, blank=True, help_text=_("Codes of the sample hazards.")
    )
    hazards_details = models.TextField(_("hazard details and precautions"), blank=True)
    previous_proposals = models.TextField(_("previous proposals"), blank=True)
    earliest_start = models.DateField(
        _("earliest start of the beamtime"),
        null=True,
        blank=True,
        help_text=_(
            "Anytime requests: the first day the beamtime is wanted (routes with a lead time, "
            "e.g. urgent proposals, need it far enough ahead)."
        ),
    )
    copied_from = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="copies",
        verbose_name=_("copied from"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="proposals_created",
        verbose_name=_("created by"),
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    class Meta:
        verbose_name = _("proposal")
        verbose_name_plural = _("proposals")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["call", "status"])]

    def __str__(self) -> str:
        return f"{self.number or _('draft')} {self.title}".strip()

    def get_absolute_url(self) -> str:
        return reverse("proposals:detail", args=[self.pk])

    @property
    def public_status(self) -> str:
        """What the team sees. A committee decision of a call stays "under review" until the
        call's decisions are published (with the letters), so nobody learns it early."""
        public = self._PUBLIC[self.Status(self.status)]
        announced_together = {
            self.PublicStatus.ACCEPTED,
            self.PublicStatus.WAITLISTED,
            self.PublicStatus.NOT_ACCEPTED,
        }
        if (
            public in announced_together
            and self.call.kind == Call.Kind.PERIODIC
            and self.call.status != Call.Status.DECIDED
        ):
            return str(self.PublicStatus.UNDER_REVIEW)
        return str(public)

    @property
    def public_status_label(self) -> str:
        return str(self.PublicStatus(self.public_status).label)


class TeamMember(TimeStampedModel):
    class Role(models.TextChoices):
        PI = "pi", _("Principal investigator")
        CO_INVESTIGATOR = "co_investigator", _("Co-investigator")
        STUDENT = "student", _("Student")

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="team")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="team_memberships",
        verbose_name=_("person"),
    )
    role = models.CharField(_("role"), max_length=20, choices=Role)
    is_experimenter = models.BooleanField(
        _("comes to the experiment"), default=True, help_text=_("Takes part on site.")
    )
    is_supervisor = models.BooleanField(
        _("supervisor"), default=False, help_text=_("The supervisor of the student PI.")
    )

    class Meta:
        verbose_name = _("team member")
        verbose_name_plural = _("team members")
        ordering = ["role", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["proposal", "person"], name="proposals_team_once"),
            models.UniqueConstraint(
                fields=["proposal"], condition=Q(role="pi"), name="proposals_team_one_pi"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} ({self.get_role_display()})"


class BeamlineRequest(models.Model):
    """Beamtime asked for on one beamline (and end station), and what was awarded."""

    proposal = models.ForeignKey(
        Proposal, on_delete=models.CASCADE, related_name="beamline_requests"
    )
    beamline = models.ForeignKey(
        "facility.Beamline", on_delete=models.PROTECT, related_name="+", verbose_name=_("beamline")
    )
    end_station = models.ForeignKey(
        "facility.EndStation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("end station"),
    )
    units_requested = models.PositiveIntegerField(_("beamtime requested"))
    units_awarded = models.PositiveIntegerField(_("beamtime awarded"), null=True, blank=True)

    class Meta:
        verbose_name = _("beamline request")
        verbose_name_plural = _("beamline requests")
        ordering = ["beamline__code"]
        constraints = [
            models.UniqueConstraint(fields=["proposal", "beamline"], name="proposals_request_once"),
            models.CheckConstraint(
                condition=Q(units_requested__gte=1), name="proposals_request_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.proposal} {self.beamline.code}: {self.units_requested}"


class UnavailablePeriod(models.Model):
    """Dates the team cannot come (used by scheduling)."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="unavailable")
    start = models.DateField(_("from"))
    end = models.DateField(_("until"))
    reason = models.CharField(_("reason"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("unavailable dates")
        verbose_name_plural = _("unavailable dates")
        ordering = ["start"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gte=models.F("start")), name="proposals_unavailable_ordered"
            )
        ]

    def __str__(self) -> str:
        return f"{self.start} – {self.end}"


class RelatedPublication(models.Model):
    """A publication the applicants list (used to detect reviewer co-authorship)."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="publications")
    citation = models.TextField(_("citation"))
    authors = models.TextField(_("authors"), help_text=_("One author per line, as printed."))
    doi = models.CharField(_("DOI"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("related publication")
        verbose_name_plural = _("related publications")

    def __str__(self) -> str:
        return self.doi or self.citation[:60]


def attachment_path(instance: Attachment, filename: str) -> str:
    return f"proposals/{instance.proposal_id}/{instance.sha256[:16]}.pdf"


class Attachment(TimeStampedModel):
    """A PDF attached to a proposal (type-checked by content, size-limited by setting)."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("file"), upload_to=attachment_path)
    original_name = models.CharField(_("file name"), max_length=255)
    size = models.PositiveIntegerField(_("size in bytes"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(fields=["proposal", "sha256"], name="proposals_attachment_once")
        ]

    def __str__(self) -> str:
        return self.original_name
