"""API shapes of billing (amounts as strings of whole yen, never floats)."""

from __future__ import annotations

from rest_framework import serializers

from akari.billing.models import Invoice, InvoiceLine


class InvoiceLineSerializer(serializers.ModelSerializer[InvoiceLine]):
    class Meta:
        model = InvoiceLine
        fields = [
            "position",
            "description_ja",
            "description_en",
            "transaction_date",
            "quantity",
            "unit_ja",
            "unit_en",
            "unit_price",
            "tax_rate",
            "tax_included",
            "amount",
        ]


class InvoiceSerializer(serializers.ModelSerializer[Invoice]):
    customer = serializers.CharField(source="customer.name_en", read_only=True)
    balance = serializers.DecimalField(max_digits=14, decimal_places=0, read_only=True)

    class Meta:
        model = Invoice
        fields = [
            "id",
            "number",
            "status",
            "programme",
            "customer",
            "issuer_registration_number",
            "issue_date",
            "due_date",
            "prices_include_tax",
            "subtotal",
            "tax",
            "total",
            "paid",
            "credited",
            "balance",
        ]


class InvoiceDetailSerializer(InvoiceSerializer):
    lines = InvoiceLineSerializer(many=True, read_only=True)

    class Meta(InvoiceSerializer.Meta):
        fields = [*InvoiceSerializer.Meta.fields, "lines"]


class EstimateQuerySerializer(serializers.Serializer[dict]):
    programme = serializers.CharField()
    route = serializers.CharField()
    hours = serializers.DecimalField(max_digits=7, decimal_places=1, min_value=1)
    joining_fiscal_year = serializers.IntegerField(required=False, min_value=2000, max_value=2100)


class EstimateLineSerializer(serializers.Serializer[dict]):
    code = serializers.CharField()
    label_ja = serializers.CharField()
    label_en = serializers.CharField()
    quantity = serializers.DecimalField(max_digits=12, decimal_places=3)
    unit_price = serializers.DecimalField(max_digits=14, decimal_places=0)
    amount = serializers.DecimalField(max_digits=14, decimal_places=0)
    tax_included = serializers.BooleanField()


class EstimateSerializer(serializers.Serializer[dict]):
    lines = EstimateLineSerializer(many=True)
    subtotal = serializers.DecimalField(max_digits=14, decimal_places=0)
