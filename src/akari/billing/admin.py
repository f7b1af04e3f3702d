"""Admin: billing contacts are kept here by finance; everything else is read-only (written by
the billing services)."""

from __future__ import annotations

from django.contrib import admin

from akari.billing.models import BillingContact, Charge, CreditNote, Invoice, Payment
from akari.core.admin_base import ReadOnlyAdmin


@admin.register(BillingContact)
class BillingContactAdmin(admin.ModelAdmin[BillingContact]):
    list_display = ["person", "organisation", "is_primary", "active"]
    list_filter = ["active"]
    list_select_related = ["person", "organisation"]
    search_fields = ["person__email", "organisation__name_en", "organisation__name_ja"]
    autocomplete_fields = ["person", "organisation"]


@admin.register(Invoice)
class InvoiceAdmin(ReadOnlyAdmin):
    list_display = ["number", "customer", "programme", "issue_date", "total", "status"]
    list_filter = ["status", "programme"]
    list_select_related = ["customer"]
    search_fields = ["number", "customer__name_en"]


@admin.register(Charge)
class ChargeAdmin(ReadOnlyAdmin):
    list_display = ["reference", "customer", "fee_code", "transaction_date", "amount"]
    list_filter = ["programme", "kind"]
    list_select_related = ["customer"]


@admin.register(CreditNote)
class CreditNoteAdmin(ReadOnlyAdmin):
    list_display = ["number", "invoice", "issue_date", "total"]
    list_select_related = ["invoice"]


@admin.register(Payment)
class PaymentAdmin(ReadOnlyAdmin):
    list_display = ["invoice", "amount", "paid_on", "reference"]
    list_select_related = ["invoice"]
