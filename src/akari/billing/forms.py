"""Forms of billing: fee estimator, usage record, payment, credit note."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from akari.core import clock
from akari.core.i18n import localized
from akari.policies.selectors import policies_in_force


def programme_routes() -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """(programme choices, route choices "programme:route") of the policies in force."""
    programmes, routes = [], []
    for version in policies_in_force():
        pack = version.pack
        programmes.append((version.programme.code, localized(version.programme, "name")))
        for route in pack.routes:
            label = route.name.ja if _is_ja() else route.name.en
            routes.append((f"{version.programme.code}:{route.code}", label))
    return programmes, routes


def _is_ja() -> bool:
    from akari.core.i18n import current_language

    return current_language() == "ja"


class EstimateForm(forms.Form):
    route = forms.ChoiceField(label=_("Programme and access route"))
    hours = forms.DecimalField(
        label=_("Beamtime (hours)"),
        min_value=Decimal(1),
        max_value=Decimal(2000),
        initial=8,
        decimal_places=1,
        help_text=_("One shift is 8 hours at SPring-8 and NanoTerasu."),
    )
    joining_fiscal_year = forms.IntegerField(
        label=_("Joining fiscal year (coalition members)"),
        required=False,
        min_value=2000,
        max_value=2100,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        programmes, routes = programme_routes()
        grouped: dict[str, list[tuple[str, str]]] = {}
        names = dict(programmes)
        for value, label in routes:
            grouped.setdefault(names.get(value.split(":")[0], ""), []).append((value, label))
        route_field = self.fields["route"]
        assert isinstance(route_field, forms.ChoiceField)
        route_field.choices = list(grouped.items())

    def programme_and_route(self) -> tuple[str, str]:
        programme, route = self.cleaned_data["route"].split(":", 1)
        return programme, route


class UsageForm(forms.Form):
    actual_start = forms.DateTimeField(
        label=_("Actual start"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    actual_end = forms.DateTimeField(
        label=_("Actual end"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    downtime_minutes = forms.IntegerField(
        label=_("Beam downtime caused by the facility (minutes)"), min_value=0, initial=0
    )
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, items: list[tuple[str, str]] = (), **kwargs: Any) -> None:  # type: ignore[assignment]
        super().__init__(*args, **kwargs)
        self.item_codes = [code for code, _label in items]
        for code, label in items:
            self.fields[f"item_{code}"] = forms.DecimalField(
                label=label, required=False, min_value=Decimal(0), decimal_places=2
            )

    def quantities(self) -> dict[str, Decimal]:
        return {
            code: self.cleaned_data[f"item_{code}"]
            for code in self.item_codes
            if self.cleaned_data.get(f"item_{code}")
        }


class PaymentForm(forms.Form):
    amount = forms.DecimalField(label=_("Amount (yen)"), min_value=Decimal(1), decimal_places=0)
    paid_on = forms.DateField(
        label=_("Paid on"), widget=forms.DateInput(attrs={"type": "date"}), initial=clock.today
    )
    reference = forms.CharField(label=_("Bank reference"), max_length=100, required=False)


class CreditNoteForm(forms.Form):
    amount = forms.DecimalField(
        label=_("Amount to credit (yen, on the invoice's price basis)"),
        min_value=Decimal(1),
        decimal_places=0,
    )
    reason = forms.CharField(label=_("Reason"), max_length=300)
