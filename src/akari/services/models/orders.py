"""Service orders: mail-in / measurement service and data analysis (basic guidance, free;
advanced analysis, paid per policy). One workflow for all kinds; a kind without samples skips
the shipping steps (``services.orders`` enforces it)."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from akari.core.models import TimeStampedModel


class ServiceOrder(TimeStampedModel):
    class Kind(models.TextChoices):
        MEASUREMENT = "measurement", _("Mail-in / measurement service")
        ANALYSIS_BASIC = "analysis_basic", _("Data analysis: basic guidance (free)")
        ANALYSIS_ADVANCED = "analysis_advanced", _("Data analysis: advanced analysis (paid)")

    class Status(models.TextChoices):
        REQUESTED = "requested", pgettext_lazy("service order", "Requested")
        QUOTED = "quoted", pgettext_lazy("service order", "Quoted")
        ACCEPTED = "accepted", pgettext_lazy("service order", "Accepted")
        DECLINED = "declined", pgettext_lazy("service order", "Quote declined")
        SHIPPED = "shipped", pgettext_lazy("service order", "Samples shipped")
        RECEIVED = "received", pgettext_lazy("service order", "Samples received")
        MEASURED = "measured", pgettext_lazy("service order", "Measured / analysed")
        DELIVERED = "delivered", pgettext_lazy("service order", "Data delivered")
        RETURNED = "returned", pgettext_lazy("service order", "Samples returned")
        DISPOSED = "disposed", pgettext_lazy("service order", "Samples disposed of")
        INVOICED = "invoiced", pgettext_lazy("service order", "Invoiced")
        CLOSED = "closed", pgettext_lazy("service order", "Completed (no charge)")
        CANCELLED = "cancelled", pgettext_lazy("service order", "Cancelled")

    TRANSITIONS = {
        Status.REQUESTED: {Status.QUOTED, Status.ACCEPTED, Status.CANCELLED},
        Status.QUOTED: {Status.ACCEPTED, Status.DECLINED, Status.CANCELLED},
        Status.ACCEPTED: {Status.SHIPPED, Status.MEASURED, Status.CANCELLED},
        Status.SHIPPED: {Status.RECEIVED},
        Status.RECEIVED: {Status.MEASURED},
        Status.MEASURED: {Status.DELIVERED},
        Status.DELIVERED: {Status.RETURNED, Status.DISPOSED, Status.INVOICED, Status.CLOSED},
        Status.RETURNED: {Status.INVOICED, Status.CLOSED},
        Status.DISPOSED: {Status.INVOICED, Status.CLOSED},
        Status.INVOICED: set(),
        Status.CLOSED: set(),
        Status.DECLINED: set(),
        Status.CANCELLED: set(),
    }
    FINISHED = (Status.INVOICED, Status.CLOSED, Status.DECLINED, Status.CANCELLED)

    facility = models.ForeignKey(
        "facility.Facility",
        on_delete=models.PROTECT,
        related_name="service_orders",
        verbose_name=_("facility"),
    )
    kind = models.CharField(_("service"), max_length=20, choices=Kind)
    status = models.CharField(_("status"), max_length=20, choices=Status, default=Status.REQUESTED)
    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="service_orders",
        verbose_name=_("requester"),
    )
    organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        related_name="service_orders",
        verbose_name=_("organisation billed"),
    )
    programme = models.CharField(_("programme"), max_length=60, help_text=_("Policy pack code."))
    route = models.CharField(_("access route"), max_length=60, blank=True)
    technique = models.CharField(_("technique"), max_length=200)
    beamline = models.ForeignKey(
        "facility.Beamline",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="service_orders",
        verbose_name=_("beamline"),
    )
    experiment = models.ForeignKey(
        "beamtime.Experiment",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="service_orders",
        verbose_name=_("experiment"),
    )
    measurements = models.PositiveSmallIntegerField(_("number of measurements"), default=1)
    deadline = models.DateField(_("wanted by"), null=True, blank=True)
    description = models.TextField(_("what should be measured or analysed"))
    # Quote (fixed when quoted; the invoice is made from these lines).
    quoted_hours = models.DecimalField(
        _("estimated hours"), max_digits=7, decimal_places=2, null=True, blank=True
    )
    quote_total = models.DecimalField(
        _("quoted total"), max_digits=14, decimal_places=0, default=Decimal(0)
    )
    quote_tax_included = models.BooleanField(_("quote includes tax"), default=True)
    quoted_at = models.DateTimeField(_("quoted at"), null=True, blank=True)
    # Logistics and delivery.
    tracking_number = models.CharField(_("tracking number"), max_length=60, blank=True)
    carrier = models.CharField(_("carrier"), max_length=60, blank=True)
    data_url = models.URLField(_("data link"), max_length=500, blank=True)
    data_sha256 = models.CharField(_("SHA-256 checksum"), max_length=64, blank=True)
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)
    return_tracking_number = models.CharField(
        _("return tracking number"), max_length=60, blank=True
    )
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="handled_service_orders",
        verbose_name=_("handled by"),
    )
    invoice = models.ForeignKey(
        "billing.Invoice",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("invoice"),
    )

    class Meta:
        verbose_name = _("service order")
        verbose_name_plural = _("service orders")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["facility", "status"])]

    def __str__(self) -> str:
        return self.reference

    @property
    def reference(self) -> str:
        return f"SO-{self.pk:05d}" if self.pk else "SO-new"

    @property
    def has_samples(self) -> bool:
        return self.kind == self.Kind.MEASUREMENT

    @property
    def is_free(self) -> bool:
        return self.kind == self.Kind.ANALYSIS_BASIC


class OrderSample(models.Model):
    order = models.ForeignKey(
        ServiceOrder, on_delete=models.CASCADE, related_name="samples", verbose_name=_("order")
    )
    name = models.CharField(_("sample"), max_length=200)
    composition = models.CharField(_("composition / form"), max_length=300, blank=True)
    quantity = models.PositiveSmallIntegerField(_("pieces"), default=1)
    hazards = models.JSONField(_("hazards"), default=list, blank=True)
    hazards_details = models.CharField(_("hazard details"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("order sample")
        verbose_name_plural = _("order samples")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.name


class OrderQuoteLine(models.Model):
    order = models.ForeignKey(
        ServiceOrder, on_delete=models.CASCADE, related_name="quote_lines", verbose_name=_("order")
    )
    code = models.CharField(_("fee"), max_length=80)
    label_ja = models.CharField(_("label (Japanese)"), max_length=200)
    label_en = models.CharField(_("label (English)"), max_length=200)
    quantity = models.DecimalField(_("quantity"), max_digits=12, decimal_places=3)
    unit_ja = models.CharField(_("unit (Japanese)"), max_length=20, blank=True)
    unit_en = models.CharField(_("unit (English)"), max_length=20, blank=True)
    unit_price = models.DecimalField(_("unit price"), max_digits=14, decimal_places=0)
    amount = models.DecimalField(_("amount"), max_digits=14, decimal_places=0)
    tax_rate = models.DecimalField(_("tax rate"), max_digits=4, decimal_places=3)
    tax_included = models.BooleanField(_("price includes tax"))

    class Meta:
        verbose_name = _("quote line")
        verbose_name_plural = _("quote lines")
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.code} {self.amount}"
