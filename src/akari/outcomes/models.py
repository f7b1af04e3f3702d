"""What an experiment gives back: obligations, experiment reports, extensions, surveys and
datasets. Publications live in :mod:`akari.outcomes.models_publications` (re-exported here).

An :class:`Obligation` is created per finished experiment and kind by the daily job
(:mod:`akari.outcomes.engine`), from the policy of the experiment's programme and route; the
values it depends on (due date, whether it bars new proposals, whether it may be extended) are
copied onto the row when it is created, so a later pack version never changes a running duty.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from akari.core.models import TimeStampedModel


class Obligation(TimeStampedModel):
    class Kind(models.TextChoices):
        REPORT = "report", _("Experiment report")
        USAGE_REPORT = "usage_report", _("Usage report")
        PUBLICATION = "publication", _("Publication")
        SURVEY = "survey", _("Satisfaction survey")

    class Status(models.TextChoices):
        OPEN = "open", pgettext_lazy("obligation status", "Open")
        SUBMITTED = "submitted", pgettext_lazy("obligation status", "Submitted")
        ACCEPTED = "accepted", pgettext_lazy("obligation status", "Fulfilled")
        EXTENDED = "extended", pgettext_lazy("obligation status", "Extended")
        OVERDUE = "overdue", pgettext_lazy("obligation status", "Overdue")
        WAIVED = "waived", pgettext_lazy("obligation status", "Waived")

    TRANSITIONS = {
        Status.OPEN: {
            Status.SUBMITTED,
            Status.ACCEPTED,
            Status.EXTENDED,
            Status.OVERDUE,
            Status.WAIVED,
        },
        # Staff ask for changes (back to open, or overdue when the due date has passed).
        Status.SUBMITTED: {Status.ACCEPTED, Status.OPEN, Status.OVERDUE, Status.WAIVED},
        # A second extension is an extension again (a new event with the new due date).
        Status.EXTENDED: {
            Status.SUBMITTED,
            Status.ACCEPTED,
            Status.EXTENDED,
            Status.OVERDUE,
            Status.WAIVED,
        },
        Status.OVERDUE: {Status.SUBMITTED, Status.ACCEPTED, Status.EXTENDED, Status.WAIVED},
        Status.ACCEPTED: set(),
        Status.WAIVED: set(),
    }
    PENDING = (Status.OPEN, Status.EXTENDED, Status.OVERDUE)

    experiment = models.ForeignKey(
        "beamtime.Experiment",
        on_delete=models.PROTECT,
        related_name="obligations",
        verbose_name=_("experiment"),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind)
    status = models.CharField(_("status"), max_length=20, choices=Status, default=Status.OPEN)
    responsible = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="obligations",
        verbose_name=_("responsible person"),
    )
    due = models.DateField(_("due date"))
    original_due = models.DateField(_("first due date"))
    bars_new_proposals = models.BooleanField(
        _("bars new proposals when overdue"),
        default=False,
        help_text=_("Copied from the policy when the obligation was created."),
    )
    extension_possible = models.BooleanField(_("extension possible"), default=True)
    public = models.BooleanField(
        _("public outcome"), default=True, help_text=_("False for proprietary experiments.")
    )
    waived_reason = models.CharField(_("reason for waiving"), max_length=500, blank=True)
    fulfilled_at = models.DateTimeField(_("fulfilled at"), null=True, blank=True)

    class Meta:
        verbose_name = _("obligation")
        verbose_name_plural = _("obligations")
        ordering = ["due", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["experiment", "kind"], name="outcomes_obligation_once")
        ]
        indexes = [models.Index(fields=["status", "due"]), models.Index(fields=["responsible"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.experiment.reference}"

    @property
    def is_pending(self) -> bool:
        return self.status in self.PENDING


class ExtensionRequest(TimeStampedModel):
    class Status(models.TextChoices):
        PENDING = "pending", pgettext_lazy("extension status", "Pending")
        APPROVED = "approved", pgettext_lazy("extension status", "Approved")
        REFUSED = "refused", pgettext_lazy("extension status", "Refused")

    TRANSITIONS = {
        Status.PENDING: {Status.APPROVED, Status.REFUSED},
        Status.APPROVED: set(),
        Status.REFUSED: set(),
    }

    obligation = models.ForeignKey(Obligation, on_delete=models.CASCADE, related_name="extensions")
    status = models.CharField(_("status"), max_length=20, choices=Status, default=Status.PENDING)
    reason = models.TextField(_("reason"))
    requested_until = models.DateField(_("requested due date"), null=True, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    old_due = models.DateField(_("due date before"))
    new_due = models.DateField(_("new due date"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_note = models.CharField(_("note"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("extension request")
        verbose_name_plural = _("extension requests")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["obligation"],
                condition=Q(status="pending"),
                name="outcomes_extension_one_pending",
            )
        ]

    def __str__(self) -> str:
        return f"{self.obligation} → {self.requested_until or '?'}"


class ExperimentReport(TimeStampedModel):
    """The experiment report (non-proprietary) or usage report (proprietary, never public).

    The template is bilingual: the applicant writes aim, method, results and outlook in
    Japanese or English (``language``)."""

    class Status(models.TextChoices):
        DRAFT = "draft", pgettext_lazy("report status", "Draft")
        SUBMITTED = "submitted", pgettext_lazy("report status", "Submitted")
        CHANGES_REQUESTED = "changes_requested", pgettext_lazy("report status", "Changes requested")
        ACCEPTED = "accepted", pgettext_lazy("report status", "Accepted")

    TRANSITIONS = {
        Status.DRAFT: {Status.SUBMITTED},
        Status.SUBMITTED: {Status.ACCEPTED, Status.CHANGES_REQUESTED},
        Status.CHANGES_REQUESTED: {Status.SUBMITTED},
        Status.ACCEPTED: set(),
    }

    class Language(models.TextChoices):
        JA = "ja", _("Japanese")
        EN = "en", _("English")

    obligation = models.OneToOneField(
        Obligation, on_delete=models.PROTECT, related_name="report", verbose_name=_("obligation")
    )
    status = models.CharField(_("status"), max_length=20, choices=Status, default=Status.DRAFT)
    language = models.CharField(_("language"), max_length=2, choices=Language, default=Language.JA)
    title = models.CharField(_("title"), max_length=300)
    aim = models.TextField(_("aim"), blank=True)
    method = models.TextField(_("method"), blank=True)
    results = models.TextField(_("results"), blank=True)
    outlook = models.TextField(_("outlook"), blank=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    review_note = models.TextField(_("reviewer's note"), blank=True)
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    public_from = models.DateField(
        _("public from"),
        null=True,
        blank=True,
        help_text=_("Empty: never public (proprietary usage reports)."),
    )

    class Meta:
        verbose_name = _("experiment report")
        verbose_name_plural = _("experiment reports")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title


class SurveyQuestion(TimeStampedModel):
    class Kind(models.TextChoices):
        SCALE = "scale", _("Scale 1–5")
        TEXT = "text", _("Free text")

    facility = models.ForeignKey(
        "facility.Facility", on_delete=models.PROTECT, related_name="+", verbose_name=_("facility")
    )
    text_ja = models.CharField(_("question (Japanese)"), max_length=300)
    text_en = models.CharField(_("question (English)"), max_length=300)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("survey question")
        verbose_name_plural = _("survey questions")
        ordering = ["facility", "order", "pk"]

    def __str__(self) -> str:
        return self.text_en


class SurveyResponse(TimeStampedModel):
    experiment = models.ForeignKey(
        "beamtime.Experiment", on_delete=models.PROTECT, related_name="survey_responses"
    )
    respondent = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("survey response")
        verbose_name_plural = _("survey responses")
        constraints = [
            models.UniqueConstraint(
                fields=["experiment", "respondent"], name="outcomes_survey_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.experiment_id} {self.respondent_id}"


class SurveyAnswer(models.Model):
    response = models.ForeignKey(SurveyResponse, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(SurveyQuestion, on_delete=models.PROTECT, related_name="answers")
    score = models.PositiveSmallIntegerField(_("score"), null=True, blank=True)
    text = models.TextField(_("answer"), blank=True)

    class Meta:
        verbose_name = _("survey answer")
        verbose_name_plural = _("survey answers")
        constraints = [
            models.UniqueConstraint(fields=["response", "question"], name="outcomes_answer_once"),
            models.CheckConstraint(
                condition=Q(score__isnull=True) | Q(score__gte=1, score__lte=5),
                name="outcomes_answer_scale",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.question_id}: {self.score or self.text[:20]}"


class Dataset(TimeStampedModel):
    """A dataset an experiment produced (exported in SciCat's dataset fields)."""

    experiment = models.ForeignKey(
        "beamtime.Experiment",
        on_delete=models.PROTECT,
        related_name="datasets",
        verbose_name=_("experiment"),
    )
    pid = models.CharField(_("identifier"), max_length=200, unique=True)
    location = models.CharField(_("location URI"), max_length=500)
    size_bytes = models.BigIntegerField(_("size (bytes)"))
    description = models.CharField(_("description"), max_length=300, blank=True)
    embargo_until = models.DateField(
        _("embargo end"),
        null=True,
        blank=True,
        help_text=_("Empty: never public (proprietary data)."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("dataset")
        verbose_name_plural = _("datasets")
        ordering = ["experiment", "pid"]
        constraints = [
            models.CheckConstraint(condition=Q(size_bytes__gte=0), name="outcomes_dataset_size")
        ]

    def __str__(self) -> str:
        return self.pid


from akari.outcomes.models_publications import (  # noqa: E402
    Publication,
    PublicationAuthor,
)

__all__ = [
    "Dataset",
    "ExperimentReport",
    "ExtensionRequest",
    "Obligation",
    "Publication",
    "PublicationAuthor",
    "SurveyAnswer",
    "SurveyQuestion",
    "SurveyResponse",
]
