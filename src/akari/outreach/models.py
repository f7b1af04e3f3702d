"""The public site: news, events with registration and a waitlist, and training records.

* :class:`Audience` — the four audiences of the public site (one row each, created by a data
  migration); news and events are tagged with the audiences they are meant for.
* :class:`NewsItem` — a bilingual news item, draft until a member of staff publishes it; shown
  to the public from its ``publish_at`` instant on.
* :class:`Event` — a workshop, school, symposium, tour, coalition conference or end-station
  briefing (on site, online or hybrid) with a capacity and a registration window.
* :class:`Registration` — one person's place at an event: a numbered seat (1..capacity, unique
  per event: the database refuses two registrations on one seat) or a waitlist position.
* :class:`TrainingRecord` — "this person attended the safety lecture on this day": written when
  staff mark attendance at an event that carries a training code; other rules ask
  :func:`akari.outreach.training.has_training`.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from akari.core.i18n import localized
from akari.core.models import TimeStampedModel


class Audience(models.Model):
    class Code(models.TextChoices):
        PUBLIC = "public", _("The public and students")
        USERS = "users", _("Users and prospective users")
        POLICY = "policy", _("Policy makers and executives")
        OVERSEAS = "overseas", _("Overseas researchers")

    code = models.CharField(_("code"), max_length=20, choices=Code, primary_key=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("audience")
        verbose_name_plural = _("audiences")
        ordering = ["order"]

    def __str__(self) -> str:
        return str(self.Code(self.code).label)

    def get_absolute_url(self) -> str:
        return reverse("outreach:audience", kwargs={"slug": self.code})


class NewsItem(TimeStampedModel):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")

    TRANSITIONS = {
        Status.DRAFT: {Status.PUBLISHED},
        Status.PUBLISHED: {Status.DRAFT},
    }

    facility = models.ForeignKey(
        "facility.Facility",
        on_delete=models.PROTECT,
        related_name="news_items",
        verbose_name=_("facility"),
    )
    title_ja = models.CharField(_("title (Japanese)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200)
    body_ja = models.TextField(
        _("text (Japanese)"),
        help_text=_("Plain text: a blank line starts a new paragraph; web addresses become links."),
    )
    body_en = models.TextField(
        _("text (English)"),
        help_text=_("Plain text: a blank line starts a new paragraph; web addresses become links."),
    )
    audiences = models.ManyToManyField(
        Audience, related_name="news_items", blank=True, verbose_name=_("audiences")
    )
    status = models.CharField(_("status"), max_length=20, choices=Status, default=Status.DRAFT)
    publish_at = models.DateTimeField(
        _("publish at"),
        null=True,
        blank=True,
        help_text=_("Shown to the public from this instant on (empty: when published)."),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("author"),
    )

    class Meta:
        verbose_name = _("news item")
        verbose_name_plural = _("news items")
        ordering = ["-publish_at", "-pk"]
        indexes = [models.Index(fields=["status", "publish_at"])]

    def __str__(self) -> str:
        return localized(self, "title")

    def get_absolute_url(self) -> str:
        return reverse("outreach:news-detail", kwargs={"pk": self.pk})


class Event(TimeStampedModel):
    class Kind(models.TextChoices):
        WORKSHOP = "workshop", _("Workshop")
        SCHOOL = "school", _("School")
        SYMPOSIUM = "symposium", _("Symposium")
        TOUR = "tour", _("Facility tour")
        COALITION_CONFERENCE = "coalition_conference", _("Coalition conference")
        BRIEFING = "briefing", _("End-station briefing")

    class Mode(models.TextChoices):
        ON_SITE = "on_site", _("On site")
        ONLINE = "online", _("Online")
        HYBRID = "hybrid", _("Hybrid")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        CANCELLED = "cancelled", _("Cancelled")

    TRANSITIONS = {
        Status.DRAFT: {Status.PUBLISHED, Status.CANCELLED},
        Status.PUBLISHED: {Status.DRAFT, Status.CANCELLED},
        Status.CANCELLED: set(),
    }

    facility = models.ForeignKey(
        "facility.Facility",
        on_delete=models.PROTECT,
        related_name="events",
        verbose_name=_("facility"),
    )
    kind = models.CharField(_("kind"), max_length=30, choices=Kind)
    mode = models.CharField(_("format"), max_length=20, choices=Mode, default=Mode.ON_SITE)
    title_ja = models.CharField(_("title (Japanese)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200)
    description_ja = models.TextField(_("description (Japanese)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    venue_ja = models.CharField(_("venue (Japanese)"), max_length=200, blank=True)
    venue_en = models.CharField(_("venue (English)"), max_length=200, blank=True)
    online_url = models.URLField(
        _("online address"),
        blank=True,
        help_text=_("Shown to registered participants only."),
    )
    capacity = models.PositiveIntegerField(_("capacity"))
    registration_opens_at = models.DateTimeField(_("registration opens at"))
    registration_closes_at = models.DateTimeField(_("registration closes at"))
    training_code = models.SlugField(
        _("training code"),
        max_length=50,
        blank=True,
        help_text=_("Attendance is recorded as this training, e.g. safety-lecture."),
    )
    training_valid_days = models.PositiveIntegerField(
        _("training valid for (days)"),
        null=True,
        blank=True,
        help_text=_("Empty: the training never expires."),
    )
    audiences = models.ManyToManyField(
        Audience, related_name="events", blank=True, verbose_name=_("audiences")
    )
    status = models.CharField(_("status"), max_length=20, choices=Status, default=Status.DRAFT)

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = ["starts_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="outreach_event_ends_after_start"
            ),
            models.CheckConstraint(
                condition=Q(registration_closes_at__gt=F("registration_opens_at")),
                name="outreach_event_registration_window",
            ),
            models.CheckConstraint(condition=Q(capacity__gte=1), name="outreach_event_capacity"),
        ]

    def __str__(self) -> str:
        return localized(self, "title")

    def get_absolute_url(self) -> str:
        return reverse("outreach:event", kwargs={"pk": self.pk})

    def registration_is_open(self, at: object) -> bool:
        return (
            self.status == self.Status.PUBLISHED
            and self.registration_opens_at <= at < self.registration_closes_at  # type: ignore[operator]
        )

    @property
    def needs_venue(self) -> bool:
        return self.mode != self.Mode.ONLINE

    @property
    def needs_url(self) -> bool:
        return self.mode != self.Mode.ON_SITE


class Registration(TimeStampedModel):
    class Status(models.TextChoices):
        REGISTERED = "registered", _("Registered")
        WAITLISTED = "waitlisted", _("On the waitlist")
        CANCELLED = "cancelled", _("Cancelled")
        ATTENDED = "attended", _("Attended")
        NO_SHOW = "no_show", _("Did not attend")

    TRANSITIONS = {
        Status.REGISTERED: {Status.CANCELLED, Status.ATTENDED, Status.NO_SHOW},
        Status.WAITLISTED: {Status.REGISTERED, Status.CANCELLED},
        Status.ATTENDED: {Status.NO_SHOW},
        Status.NO_SHOW: {Status.ATTENDED},
        Status.CANCELLED: set(),
    }
    HOLDS_SEAT = (Status.REGISTERED, Status.ATTENDED, Status.NO_SHOW)
    ACTIVE = (*HOLDS_SEAT, Status.WAITLISTED)

    event = models.ForeignKey(
        Event, on_delete=models.PROTECT, related_name="registrations", verbose_name=_("event")
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="event_registrations",
        verbose_name=_("person"),
    )
    status = models.CharField(_("status"), max_length=20, choices=Status)
    seat = models.PositiveIntegerField(_("seat"), null=True, blank=True)
    waitlist_position = models.PositiveIntegerField(_("waitlist position"), null=True, blank=True)
    registered_at = models.DateTimeField(_("registered at"))

    class Meta:
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        ordering = ["event", "seat", "waitlist_position", "pk"]
        constraints = [
            # The database guarantee behind the capacity: a seat is taken once per event, and the
            # service only hands out seats 1..capacity under a lock of the event row.
            models.UniqueConstraint(fields=["event", "seat"], name="outreach_registration_seat"),
            models.UniqueConstraint(
                fields=["event", "waitlist_position"], name="outreach_registration_waitlist"
            ),
            models.UniqueConstraint(
                fields=["event", "person"],
                condition=~Q(status="cancelled"),
                name="outreach_registration_once",
            ),
            models.CheckConstraint(
                condition=Q(seat__isnull=True) | Q(seat__gte=1), name="outreach_seat_positive"
            ),
            # A seat exactly when the status holds one; a waitlist position exactly when waiting.
            models.CheckConstraint(
                condition=Q(seat__isnull=False, status__in=["registered", "attended", "no_show"])
                | (Q(seat__isnull=True) & ~Q(status__in=["registered", "attended", "no_show"])),
                name="outreach_seat_iff_registered",
            ),
            models.CheckConstraint(
                condition=Q(waitlist_position__isnull=False, status="waitlisted")
                | (Q(waitlist_position__isnull=True) & ~Q(status="waitlisted")),
                name="outreach_position_iff_waitlisted",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.event} / {self.person}"


class TrainingRecord(TimeStampedModel):
    """A completed training (e.g. ``safety-lecture``) of a person, from attendance at an event."""

    facility = models.ForeignKey(
        "facility.Facility",
        on_delete=models.PROTECT,
        related_name="training_records",
        verbose_name=_("facility"),
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="training_records",
        verbose_name=_("person"),
    )
    code = models.SlugField(_("training code"), max_length=50)
    completed_on = models.DateField(_("completed on"))
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    event = models.ForeignKey(
        Event,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="training_records",
        verbose_name=_("event"),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )

    class Meta:
        verbose_name = _("training record")
        verbose_name_plural = _("training records")
        ordering = ["person", "code", "-completed_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "event", "code"], name="outreach_training_once_per_event"
            )
        ]
        indexes = [models.Index(fields=["person", "code", "completed_on"])]

    def __str__(self) -> str:
        return f"{self.person} · {self.code} · {self.completed_on}"
