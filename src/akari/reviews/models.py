"""Technical review, peer review panels, reviewer assignment, conflicts of interest and scores.

The rules (reviews per proposal, score scale, workload cap, reminder days) come from the call's
policy (``call.policy_version.pack.peer_review``), never from here.

Who reviews what:

- **Technical review**: one :class:`TechnicalReview` per (proposal, requested beamline), by a
  scientist of that beamline (:class:`BeamlineReviewer` says who they are; edited in the admin).
- **Peer review**: :class:`Panel` members of the call (or of its programme) review the proposals
  of the panel's research fields; :class:`ReviewAssignment` rows are proposed by the optimiser
  (or staff), then published; each published assignment gets one :class:`Review`.
- **Conflicts of interest**: :class:`ConflictOfInterest` rows (detected or declared) veto an
  assignment; an assignment that turns out conflicted is flagged ``conflict=True`` and is never
  shown to its reviewer.

The proposals app's access rules read ``proposal.technical_reviews`` (``reviewer``) and
``proposal.review_assignments`` (``reviewer``, ``conflict``, ``status``): keep those names.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from akari.core.i18n import localized
from akari.core.models import TimeStampedModel


class BeamlineReviewer(TimeStampedModel):
    """A beamline scientist who does the technical review of proposals for a beamline."""

    beamline = models.ForeignKey(
        "facility.Beamline",
        on_delete=models.CASCADE,
        related_name="technical_reviewers",
        verbose_name=_("beamline"),
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="beamlines_reviewed",
        verbose_name=_("beamline scientist"),
    )

    class Meta:
        verbose_name = _("technical reviewer of a beamline")
        verbose_name_plural = _("technical reviewers of beamlines")
        ordering = ["beamline__code", "person__family_name"]
        constraints = [
            models.UniqueConstraint(fields=["beamline", "person"], name="reviews_beamline_person")
        ]

    def __str__(self) -> str:
        return f"{self.beamline.code}: {self.person}"


class TechnicalReview(TimeStampedModel):
    """The feasibility review of one requested beamline of a proposal."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        SUBMITTED = "submitted", _("Submitted")

    class Verdict(models.TextChoices):
        FEASIBLE = "feasible", _("Feasible")
        FEASIBLE_WITH_CONDITIONS = "feasible_with_conditions", _("Feasible with conditions")
        NOT_FEASIBLE = "not_feasible", _("Not feasible")

    TRANSITIONS = {Status.OPEN: {Status.SUBMITTED}, Status.SUBMITTED: set()}

    proposal = models.ForeignKey(
        "proposals.Proposal",
        on_delete=models.CASCADE,
        related_name="technical_reviews",
        verbose_name=_("proposal"),
    )
    beamline = models.ForeignKey(
        "facility.Beamline",
        on_delete=models.PROTECT,
        related_name="technical_reviews",
        verbose_name=_("beamline"),
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="technical_reviews",
        verbose_name=_("technical reviewer"),
        help_text=_("Empty until a scientist of the beamline takes the review."),
    )
    status = models.CharField(_("status"), max_length=20, choices=Status, default=Status.OPEN)
    verdict = models.CharField(_("verdict"), max_length=30, choices=Verdict, blank=True)
    comment_to_applicant = models.TextField(_("comment to the applicant"), blank=True)
    internal_comment = models.TextField(
        _("internal comment"), blank=True, help_text=_("Seen by the facility only.")
    )
    recommended_units = models.PositiveIntegerField(
        _("recommended beamtime"),
        null=True,
        blank=True,
        help_text=_("In the programme's time unit (shifts or hours)."),
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)

    class Meta:
        verbose_name = _("technical review")
        verbose_name_plural = _("technical reviews")
        ordering = ["proposal__number", "beamline__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["proposal", "beamline"], name="reviews_technical_once_per_beamline"
            ),
            models.CheckConstraint(
                condition=Q(status="open") | ~Q(verdict=""),
                name="reviews_technical_submitted_has_verdict",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.proposal.number} {self.beamline.code}"


class ReviewerProfile(TimeStampedModel):
    """What a peer reviewer knows (matched against proposals) and how much they take on."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="reviewer_profile",
        verbose_name=_("reviewer"),
    )
    research_fields = models.ManyToManyField(
        "proposals.ResearchField",
        blank=True,
        related_name="reviewer_profiles",
        verbose_name=_("research fields"),
    )
    keywords_ja = models.JSONField(_("keywords (Japanese)"), default=list, blank=True)
    keywords_en = models.JSONField(_("keywords (English)"), default=list, blank=True)
    max_load = models.PositiveSmallIntegerField(
        _("maximum proposals per call"),
        null=True,
        blank=True,
        help_text=_("Empty: the programme's default (peer_review.max_per_reviewer)."),
    )

    class Meta:
        verbose_name = _("reviewer profile")
        verbose_name_plural = _("reviewer profiles")
        ordering = ["user__family_name", "user__given_name"]

    def __str__(self) -> str:
        return str(self.user)


class Panel(TimeStampedModel):
    """A peer review panel for one or more research fields, of a call or (for every call) of a
    programme; its members review the proposals of its fields."""

    name_ja = models.CharField(_("name (Japanese)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    call = models.ForeignKey(
        "proposals.Call",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="panels",
        verbose_name=_("call"),
    )
    programme = models.ForeignKey(
        "policies.Programme",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="panels",
        verbose_name=_("programme"),
        help_text=_("A programme's panel serves every call of the programme."),
    )
    research_fields = models.ManyToManyField(
        "proposals.ResearchField", related_name="panels", verbose_name=_("research fields")
    )
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="review_panels",
        verbose_name=_("members"),
    )

    class Meta:
        verbose_name = _("review panel")
        verbose_name_plural = _("review panels")
        ordering = ["name_en"]
        constraints = [
            models.CheckConstraint(
                condition=Q(call__isnull=False) ^ Q(programme__isnull=False),
                name="reviews_panel_call_or_programme",
            )
        ]

    def __str__(self) -> str:
        return localized(self, "name")


class ReviewAssignment(TimeStampedModel):
    """A peer reviewer on a proposal.

    ``proposed`` rows are drafts (from the optimiser or staff) that only staff see; publishing
    makes them ``assigned`` and tells the reviewer. ``conflict`` is set when a conflict of
    interest is found or declared: a conflicted assignment is never shown to its reviewer.
    ``pinned`` keeps a draft through later optimiser runs.
    """

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        ASSIGNED = "assigned", _("Assigned")
        SUBMITTED = "submitted", _("Review submitted")
        DECLINED = "declined", _("Declined")
        REMOVED = "removed", _("Removed by the user office")

    TRANSITIONS = {
        Status.PROPOSED: {Status.ASSIGNED},
        Status.ASSIGNED: {Status.SUBMITTED, Status.DECLINED, Status.REMOVED},
        Status.SUBMITTED: {Status.REMOVED},
        Status.DECLINED: set(),
        Status.REMOVED: {Status.PROPOSED},
    }
    # Assignments whose reviewer may see the proposal (when not conflicted).
    ACTIVE = (Status.ASSIGNED, Status.SUBMITTED)

    proposal = models.ForeignKey(
        "proposals.Proposal",
        on_delete=models.CASCADE,
        related_name="review_assignments",
        verbose_name=_("proposal"),
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="review_assignments",
        verbose_name=_("reviewer"),
    )
    status = models.CharField(_("status"), max_length=20, choices=Status, default=Status.PROPOSED)
    conflict = models.BooleanField(_("conflict of interest"), default=False)
    conflict_reason = models.TextField(_("why there is a conflict"), blank=True)
    pinned = models.BooleanField(
        _("pinned"), default=False, help_text=_("Kept when the optimiser runs again.")
    )
    expertise = models.PositiveSmallIntegerField(_("expertise match"), default=0)
    assigned_at = models.DateTimeField(_("assigned at"), null=True, blank=True)
    decline_reason = models.TextField(_("reason for declining"), blank=True)

    class Meta:
        verbose_name = _("review assignment")
        verbose_name_plural = _("review assignments")
        ordering = ["proposal__number", "reviewer__family_name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["proposal", "reviewer"], name="reviews_assign_once")
        ]
        indexes = [models.Index(fields=["reviewer", "status"])]

    def __str__(self) -> str:
        return f"{self.proposal.number} → {self.reviewer}"

    @property
    def visible_to_reviewer(self) -> bool:
        return not self.conflict and self.status in self.ACTIVE


class ConflictOfInterest(TimeStampedModel):
    """A reason why a reviewer must not review a proposal (detected on the server or declared
    by the reviewer). Never deleted by the application."""

    class Source(models.TextChoices):
        TEAM_MEMBER = "auto_team_member", _("Member of the proposal's team")
        SAME_ORGANISATION = "auto_same_organisation", _("Same organisation as a team member")
        COAUTHOR = "auto_coauthor", _("Co-author of a listed publication")
        DECLARED = "declared", _("Declared by the reviewer")

    proposal = models.ForeignKey(
        "proposals.Proposal",
        on_delete=models.CASCADE,
        related_name="conflicts",
        verbose_name=_("proposal"),
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="review_conflicts",
        verbose_name=_("reviewer"),
    )
    source = models.CharField(_("source"), max_length=30, choices=Source)
    detail = models.TextField(_("detail"), blank=True)

    class Meta:
        verbose_name = _("conflict of interest")
        verbose_name_plural = _("conflicts of interest")
        ordering = ["proposal__number", "reviewer__family_name", "source"]
        constraints = [
            models.UniqueConstraint(
                fields=["proposal", "reviewer", "source"], name="reviews_conflict_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.proposal.number} / {self.reviewer}: {self.get_source_display()}"


class Review(TimeStampedModel):
    """A peer reviewer's score and comment (score on the programme's scale)."""

    assignment = models.OneToOneField(
        ReviewAssignment,
        on_delete=models.CASCADE,
        related_name="review",
        verbose_name=_("assignment"),
    )
    score = models.SmallIntegerField(_("score"))
    comment = models.TextField(_("comment"))
    submitted_at = models.DateTimeField(_("submitted at"))

    class Meta:
        verbose_name = _("peer review")
        verbose_name_plural = _("peer reviews")
        ordering = ["assignment__proposal__number", "pk"]

    def __str__(self) -> str:
        return f"{self.assignment}: {self.score}"


class AssignmentRun(TimeStampedModel):
    """One run of the optimiser for a call: what it found, for staff to read."""

    call = models.ForeignKey(
        "proposals.Call",
        on_delete=models.CASCADE,
        related_name="assignment_runs",
        verbose_name=_("call"),
    )
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name=_("started by"),
    )
    status = models.CharField(_("result"), max_length=20)
    objective = models.PositiveIntegerField(_("total expertise"))
    bound = models.FloatField(_("best possible total"), null=True)
    wall_time = models.FloatField(_("solve time (s)"))
    reviews_per_proposal = models.PositiveSmallIntegerField(_("reviews per proposal"))
    proposals = models.PositiveIntegerField(_("proposals"))
    reviewers = models.PositiveIntegerField(_("reviewers"))
    shortfalls = models.JSONField(_("proposals left short"), default=list, blank=True)

    class Meta:
        verbose_name = _("assignment run")
        verbose_name_plural = _("assignment runs")
        ordering = ["-created_at", "-pk"]
        get_latest_by = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.call} {self.created_at:%Y-%m-%d %H:%M} {self.status}"
