from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from akari.facility.models import Beamline
from akari.scheduling.models import RunSegment

LOCAL = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class SegmentForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=RunSegment.Kind.choices)
    start = forms.DateTimeField(label=_("Start"), widget=LOCAL)
    end = forms.DateTimeField(label=_("End"), widget=LOCAL)


class OutageForm(forms.Form):
    beamline = forms.ModelChoiceField(label=_("Beamline"), queryset=Beamline.objects.none())
    start = forms.DateTimeField(label=_("Start"), widget=LOCAL)
    end = forms.DateTimeField(label=_("End"), widget=LOCAL)
    reason = forms.CharField(label=_("Reason"), max_length=200, required=False)

    def __init__(self, *args: Any, facility: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["beamline"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Beamline.objects.filter(facility=facility).order_by("code")


class PlanForm(OutageForm):
    changeover_shifts = forms.IntegerField(label=_("Changeover (shifts)"), min_value=0, initial=0)
    coalition_percent = forms.IntegerField(
        label=_("Coalition share (%)"), min_value=0, max_value=100, initial=0
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("start", "end", "reason"):
            del self.fields[name]


class SolveForm(forms.Form):
    time_limit = forms.FloatField(label=_("Time limit (s)"), min_value=1, max_value=3600)
    workers = forms.IntegerField(label=_("Workers"), min_value=1, max_value=16)


class MoveForm(forms.Form):
    start = forms.DateTimeField(label=_("New start"), widget=LOCAL)


class SwapForm(forms.Form):
    other = forms.IntegerField(label=_("Swap with block"), widget=forms.Select)


class CancelForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=300, required=False)
