"""Billing: charges from confirmed usage, Japanese qualified invoices (適格請求書), credit notes,
payments and reminders.

* :class:`Charge` — one priced line derived from a confirmed ``beamtime.UsageRecord`` (unique per
  usage record and fee code) or from a coalition joining (unique per membership); it waits until
  a billing run puts it on an invoice line.
* :class:`Invoice` and :class:`InvoiceLine` — a qualified invoice. Its number is assigned at
  issue time from :class:`InvoiceCounter` (one row per issuer registration number, series and
  fiscal year, locked with ``SELECT ... FOR UPDATE``), so numbers are gapless; a draft has no
  number. An issued invoice never changes: corrections are :class:`CreditNote` rows.
* :class:`Payment` and :class:`Reminder` — receivables.
* :class:`BillingContact` — the people of a customer organisation who receive and see its
  invoices.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from akari.core.models import TimeStampedModel


class BillingContact(TimeStampedModel):
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="billing_contacts",
        verbose_name=_("person"),
    )
    organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        related_name="billing_contacts",
        verbose_name=_("organisation"),
    )
    is_primary = models.BooleanField(
        _("receives invoices"), default=True, help_text=_("Invoices are e-mailed to this person.")
    )
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("billing contact")
        verbose_name_plural = _("billing contacts")
        ordering = ["organisation", "-is_primary", "person__email"]
        constraints = [
            models.UniqueConstraint(fields=["person", "organisation"], name="billing_contact_once")
        ]

    def __str__(self) -> str:
        return f"{self.person} ({self.organisation})"


class Charge(TimeStampedModel):
    """A priced line waiting to be invoiced (or already on an invoice line)."""

    class Kind(models.TextChoices):
        USAGE = "usage", _("Usage")
        JOINING = "joining", _("Joining fee")

    key = models.CharField(_("idempotency key"), max_length=120, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind, default=Kind.USAGE)
    usage = models.ForeignKey(
        "beamtime.UsageRecord",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="charges",
        verbose_name=_("usage record"),
    )
    customer = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        related_name="charges",
        verbose_name=_("customer"),
    )
    programme = models.CharField(_("programme"), max_length=60)
    route = models.CharField(_("access route"), max_length=60, blank=True)
    proprietary = models.BooleanField(_("proprietary"), default=False)
    fee_code = models.CharField(_("fee"), max_length=80)
    reference = models.CharField(_("reference"), max_length=60, blank=True)
    description_ja = models.CharField(_("description (Japanese)"), max_length=300)
    description_en = models.CharField(_("description (English)"), max_length=300)
    transaction_date = models.DateField(_("date of transaction"))
    quantity = models.DecimalField(_("quantity"), max_digits=12, decimal_places=3)
    unit_ja = models.CharField(_("unit (Japanese)"), max_length=20, blank=True)
    unit_en = models.CharField(_("unit (English)"), max_length=20, blank=True)
    unit_price = models.DecimalField(_("unit price"), max_digits=14, decimal_places=0)
    amount = models.DecimalField(_("amount"), max_digits=14, decimal_places=0)
    tax_rate = models.DecimalField(_("tax rate"), max_digits=4, decimal_places=3)
    tax_included = models.BooleanField(_("price includes tax"))

    class Meta:
        verbose_name = _("charge")
        verbose_name_plural = _("charges")
        ordering = ["transaction_date", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["usage", "fee_code"],
                condition=Q(usage__isnull=False),
                name="billing_charge_once_per_usage_fee",
            )
        ]
        indexes = [models.Index(fields=["customer", "programme", "transaction_date"])]

    def __str__(self) -> str:
        return f"{self.reference} {self.fee_code} {self.amount}"


class ChargedUsage(models.Model):
    """Marks a confirmed usage record as charged (also when it owes nothing), so billing runs
    do not look at it again."""

    usage = models.OneToOneField(
        "beamtime.UsageRecord",
        on_delete=models.PROTECT,
        related_name="charged",
        verbose_name=_("usage record"),
    )
    charged_at = models.DateTimeField(_("charged at"))

    class Meta:
        verbose_name = _("charged usage record")
        verbose_name_plural = _("charged usage records")

    def __str__(self) -> str:
        return str(self.usage_id)


class Invoice(TimeStampedModel):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        ISSUED = "issued", _("Issued")
        PARTIALLY_PAID = "partially_paid", _("Partially paid")
        PAID = "paid", _("Paid")
        OVERDUE = "overdue", _("Overdue")
        CANCELLED = "cancelled", _("Cancelled by credit note")

    TRANSITIONS = {
        Status.DRAFT: {Status.ISSUED},
        Status.ISSUED: {Status.PARTIALLY_PAID, Status.PAID, Status.OVERDUE, Status.CANCELLED},
        Status.PARTIALLY_PAID: {Status.PAID, Status.OVERDUE, Status.CANCELLED},
        Status.OVERDUE: {Status.PARTIALLY_PAID, Status.PAID, Status.CANCELLED},
        Status.PAID: set(),
        Status.CANCELLED: set(),
    }
    OPEN = (Status.ISSUED, Status.PARTIALLY_PAID, Status.OVERDUE)

    number = models.CharField(_("invoice number"), max_length=40, blank=True)
    run_key = models.CharField(
        _("billing run key"),
        max_length=120,
        null=True,
        blank=True,
        unique=True,
        help_text=_("What a billing run made this invoice for (one invoice per key)."),
    )
    programme = models.CharField(_("programme"), max_length=60)
    issuer_name_ja = models.CharField(_("issuer (Japanese)"), max_length=200)
    issuer_name_en = models.CharField(_("issuer (English)"), max_length=200)
    issuer_registration_number = models.CharField(_("registration number"), max_length=14)
    number_prefix = models.CharField(_("number prefix"), max_length=10, default="INV")
    customer = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        related_name="invoices",
        verbose_name=_("customer"),
    )
    billing_contact = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("billing contact"),
    )
    prices_include_tax = models.BooleanField(_("prices include tax"))
    tax_rounding = models.CharField(_("tax rounding"), max_length=10, default="floor")
    payment_months = models.PositiveSmallIntegerField(_("payment due (months after issue)"))
    issue_date = models.DateField(_("issue date"), null=True, blank=True)
    due_date = models.DateField(_("due date"), null=True, blank=True)
    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status, default=Status.DRAFT)
    # Fixed at issue (an issued invoice never changes).
    subtotal = models.DecimalField(
        _("amount before tax"), default=Decimal(0), max_digits=14, decimal_places=0
    )
    tax = models.DecimalField(
        _("consumption tax"), default=Decimal(0), max_digits=14, decimal_places=0
    )
    total = models.DecimalField(_("total"), default=Decimal(0), max_digits=14, decimal_places=0)
    paid = models.DecimalField(_("paid"), default=Decimal(0), max_digits=14, decimal_places=0)
    credited = models.DecimalField(
        _("credited"), default=Decimal(0), max_digits=14, decimal_places=0
    )
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("issued by"),
    )
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("invoice")
        verbose_name_plural = _("invoices")
        ordering = ["-issue_date", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["issuer_registration_number", "number"],
                condition=~Q(number=""),
                name="billing_invoice_number_unique",
            ),
            models.CheckConstraint(
                condition=Q(status="draft") | ~Q(number=""), name="billing_invoice_issued_numbered"
            ),
        ]
        indexes = [models.Index(fields=["status", "due_date"])]

    def __str__(self) -> str:
        return self.number or str(_("Draft invoice"))

    @property
    def balance(self) -> Decimal:
        return self.total - self.paid - self.credited

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT


class InvoiceLine(models.Model):
    invoice = models.ForeignKey(
        Invoice, on_delete=models.CASCADE, related_name="lines", verbose_name=_("invoice")
    )
    position = models.PositiveIntegerField(_("position"), default=0)
    charge = models.OneToOneField(
        Charge,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="invoice_line",
        verbose_name=_("charge"),
    )
    description_ja = models.CharField(_("description (Japanese)"), max_length=300)
    description_en = models.CharField(_("description (English)"), max_length=300)
    transaction_date = models.DateField(_("date of transaction"))
    quantity = models.DecimalField(_("quantity"), max_digits=12, decimal_places=3)
    unit_ja = models.CharField(_("unit (Japanese)"), max_length=20, blank=True)
    unit_en = models.CharField(_("unit (English)"), max_length=20, blank=True)
    unit_price = models.DecimalField(_("unit price"), max_digits=14, decimal_places=0)
    tax_rate = models.DecimalField(_("tax rate"), max_digits=4, decimal_places=3)
    tax_included = models.BooleanField(_("price includes tax"))
    amount = models.DecimalField(_("amount"), max_digits=14, decimal_places=0)

    class Meta:
        verbose_name = _("invoice line")
        verbose_name_plural = _("invoice lines")
        ordering = ["invoice", "position", "pk"]

    def __str__(self) -> str:
        return f"{self.description_en} {self.amount}"


class InvoiceCounter(models.Model):
    """The last number used per issuer, series (invoice / credit note) and fiscal year."""

    registration_number = models.CharField(_("registration number"), max_length=14)
    series = models.CharField(_("series"), max_length=10)
    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year"))
    last = models.PositiveIntegerField(_("last number"), default=0)

    class Meta:
        verbose_name = _("invoice number counter")
        verbose_name_plural = _("invoice number counters")
        constraints = [
            models.UniqueConstraint(
                fields=["registration_number", "series", "fiscal_year"],
                name="billing_counter_once",
            )
        ]

    def __str__(self) -> str:
        return f"{self.registration_number} {self.series} FY{self.fiscal_year}: {self.last}"


class CreditNote(TimeStampedModel):
    """A correction of an issued invoice (返還インボイス): returns ``amount`` (on the invoice's
    price basis) at ``tax_rate``; crediting the whole balance cancels the invoice."""

    invoice = models.ForeignKey(
        Invoice, on_delete=models.PROTECT, related_name="credit_notes", verbose_name=_("invoice")
    )
    number = models.CharField(_("credit note number"), max_length=40)
    issue_date = models.DateField(_("issue date"))
    reason = models.CharField(_("reason"), max_length=300)
    tax_rate = models.DecimalField(_("tax rate"), max_digits=4, decimal_places=3)
    amount = models.DecimalField(_("amount"), max_digits=14, decimal_places=0)
    tax = models.DecimalField(_("consumption tax"), max_digits=14, decimal_places=0)
    total = models.DecimalField(_("total"), max_digits=14, decimal_places=0)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("issued by"),
    )

    class Meta:
        verbose_name = _("credit note")
        verbose_name_plural = _("credit notes")
        ordering = ["-issue_date", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(total__gt=0), name="billing_credit_positive")
        ]

    def __str__(self) -> str:
        return self.number


class Payment(TimeStampedModel):
    invoice = models.ForeignKey(
        Invoice, on_delete=models.PROTECT, related_name="payments", verbose_name=_("invoice")
    )
    amount = models.DecimalField(_("amount"), max_digits=14, decimal_places=0)
    paid_on = models.DateField(_("paid on"))
    reference = models.CharField(_("reference"), max_length=100, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )

    class Meta:
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        ordering = ["-paid_on", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="billing_payment_positive")
        ]

    def __str__(self) -> str:
        return f"{self.invoice_id} {self.amount} {self.paid_on}"


class Reminder(models.Model):
    invoice = models.ForeignKey(
        Invoice, on_delete=models.CASCADE, related_name="reminders", verbose_name=_("invoice")
    )
    days_after_due = models.PositiveSmallIntegerField(_("days after due date"))
    sent_on = models.DateField(_("sent on"))

    class Meta:
        verbose_name = _("payment reminder")
        verbose_name_plural = _("payment reminders")
        ordering = ["invoice", "days_after_due"]
        constraints = [
            models.UniqueConstraint(
                fields=["invoice", "days_after_due"], name="billing_reminder_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.invoice} +{self.days_after_due}"


class BillingRun(models.Model):
    """A record of one billing run (what it looked at and what it made)."""

    started_at = models.DateTimeField(_("started at"))
    on = models.DateField(_("run date"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("started by"),
    )
    charges_created = models.PositiveIntegerField(_("charges created"), default=0)
    invoices_created = models.PositiveIntegerField(_("invoices created"), default=0)
    errors = models.JSONField(_("errors"), default=list, blank=True)

    class Meta:
        verbose_name = _("billing run")
        verbose_name_plural = _("billing runs")
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"{self.on} {self.invoices_created}"
