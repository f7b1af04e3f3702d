"""People, organisations and their affiliations.

Every person carries what the monitoring indicators need: career stage, country, and (through
the primary affiliation) organisation and sector.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from akari.accounts.orcid import validate_orcid
from akari.core import clock
from akari.core.i18n import localized
from akari.core.models import TimeStampedModel


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def _create(self, email: str, password: str | None, **extra: Any) -> User:
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self._create(email, password, **extra)


class CareerStage(models.TextChoices):
    STUDENT = "student", _("Student")
    EARLY_CAREER = "early_career", _("Early-career researcher")
    SENIOR = "senior", _("Senior researcher")
    NOT_APPLICABLE = "n_a", _("Not a researcher")


class Language(models.TextChoices):
    JA = "ja", "日本語"
    EN = "en", "English"


class User(AbstractBaseUser, PermissionsMixin):
    """A person. Logs in with an e-mail address; names in Japanese and Latin script."""

    email = models.EmailField(_("e-mail address"), unique=True)
    family_name = models.CharField(_("family name (Latin script)"), max_length=100, blank=True)
    given_name = models.CharField(_("given name (Latin script)"), max_length=100, blank=True)
    family_name_ja = models.CharField(_("family name (Japanese)"), max_length=100, blank=True)
    given_name_ja = models.CharField(_("given name (Japanese)"), max_length=100, blank=True)
    preferred_language = models.CharField(
        _("preferred language"), max_length=2, choices=Language, default=Language.JA
    )
    career_stage = models.CharField(
        _("career stage"), max_length=20, choices=CareerStage, blank=True
    )
    orcid = models.CharField(
        _("ORCID iD"),
        max_length=19,
        blank=True,
        validators=[validate_orcid],
        help_text=_("16 characters, e.g. 0000-0002-1825-0097."),
    )
    country = models.CharField(
        _("country"), max_length=2, blank=True, help_text=_("ISO 3166 code, e.g. JP.")
    )
    is_staff = models.BooleanField(
        _("can use the admin site"),
        default=False,
        help_text=_("Whether the person can log in to the administration site."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    date_joined = models.DateTimeField(_("date joined"), default=clock.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["family_name", "given_name", "email"]
        constraints = [
            models.UniqueConstraint(
                fields=["orcid"], condition=~Q(orcid=""), name="accounts_user_orcid_unique"
            )
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def name_en(self) -> str:
        return " ".join(p for p in (self.given_name, self.family_name) if p)

    @property
    def name_ja(self) -> str:
        return " ".join(p for p in (self.family_name_ja, self.given_name_ja) if p)

    @property
    def display_name(self) -> str:
        return localized(self, "name") or self.email

    def get_full_name(self) -> str:
        return self.display_name

    def get_short_name(self) -> str:
        return self.given_name or self.email


class Organisation(TimeStampedModel):
    """A university, company, institute, startup, SME, or a group of them (e.g. a regional
    SME group such as the monozukuri friendly bank)."""

    class Kind(models.TextChoices):
        UNIVERSITY = "university", _("University")
        COMPANY = "company", _("Company")
        NATIONAL_INSTITUTE = "national_institute", _("National research institute")
        STARTUP = "startup", _("Startup")
        SME = "sme", _("Small or medium-sized enterprise")
        PUBLIC_BODY = "public_body", _("Public body")
        GROUP = "group", _("Group of organisations")
        OTHER = "other", _("Other")

    class Sector(models.TextChoices):
        ACADEMIA = "academia", _("Academia")
        INDUSTRY = "industry", _("Industry")
        GOVERNMENT = "government", _("Government and public research")
        NON_PROFIT = "non_profit", _("Non-profit")

    name_ja = models.CharField(_("name (Japanese)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    kind = models.CharField(_("kind"), max_length=30, choices=Kind)
    sector = models.CharField(_("sector"), max_length=20, choices=Sector)
    country = models.CharField(_("country"), max_length=2, default="JP")
    prefecture = models.CharField(
        _("prefecture or region"), max_length=50, blank=True, help_text=_("For Japan: e.g. 宮城県.")
    )
    member_of = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="members",
        limit_choices_to={"kind": "group"},
        verbose_name=_("member of group"),
    )
    website = models.URLField(_("web site"), blank=True)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name_en"]
        constraints = [
            models.UniqueConstraint(fields=["name_en", "country"], name="accounts_org_unique_name")
        ]

    def __str__(self) -> str:
        return localized(self, "name")


class Affiliation(TimeStampedModel):
    """A person's position at an organisation; one may be primary (used for indicators)."""

    person = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="affiliations", verbose_name=_("person")
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="affiliations",
        verbose_name=_("organisation"),
    )
    department = models.CharField(_("department"), max_length=200, blank=True)
    position = models.CharField(_("position"), max_length=200, blank=True)
    is_primary = models.BooleanField(_("primary affiliation"), default=True)
    start_date = models.DateField(_("from"), null=True, blank=True)
    end_date = models.DateField(_("until"), null=True, blank=True)

    class Meta:
        verbose_name = _("affiliation")
        verbose_name_plural = _("affiliations")
        ordering = ["-is_primary", "organisation__name_en"]
        constraints = [
            models.UniqueConstraint(
                fields=["person"],
                condition=Q(is_primary=True),
                name="accounts_affiliation_one_primary",
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True)
                | Q(start_date__isnull=True)
                | Q(end_date__gte=models.F("start_date")),
                name="accounts_affiliation_dates_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} @ {self.organisation}"
