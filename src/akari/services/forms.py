"""Forms of the support services pages (validation only; the services decide)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from akari.facility.models import Beamline, Facility
from akari.proposals.models import Hazard
from akari.services.models import (
    CompanyNeed,
    ExpertiseProfile,
    ServiceOrder,
    Topic,
)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault(
            "widget", MultipleFileInput(attrs={"accept": ".pdf,.png,.jpg,.jpeg,.txt,.csv"})
        )
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data if d]
        return [single(data, initial)] if data else []


def _facility_field() -> forms.ModelChoiceField:
    return forms.ModelChoiceField(
        queryset=Facility.objects.order_by("pk"), label=_("Facility"), empty_label=None
    )


class ConsultationForm(forms.Form):
    facility = forms.ModelChoiceField(queryset=Facility.objects.none(), label=_("Facility"))
    topic = forms.ChoiceField(choices=Topic.choices, label=_("Topic"))
    subject = forms.CharField(max_length=200, label=_("Subject"))
    body = forms.CharField(widget=forms.Textarea(attrs={"rows": 8}), label=_("Your question"))
    requester_name = forms.CharField(max_length=200, label=_("Your name"))
    requester_email = forms.EmailField(label=_("E-mail address"))
    organisation_name = forms.CharField(max_length=200, required=False, label=_("Organisation"))
    attachments = MultipleFileField(
        label=_("Attachments"),
        help_text=_("Up to 3 files (PDF, PNG, JPEG, text, CSV), 10 MB each."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["facility"] = _facility_field()


class ReplyForm(forms.Form):
    body = forms.CharField(widget=forms.Textarea(attrs={"rows": 5}), label=_("Message"))
    attachments = MultipleFileField(label=_("Attachments"))


class ProposalStartForm(forms.Form):
    call: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        queryset=Facility.objects.none(), label=_("Call")
    )
    route: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        queryset=Facility.objects.none(), label=_("Access route")
    )

    def __init__(self, *args: Any, facility: Facility, **kwargs: Any) -> None:
        from akari.policies.models import AccessRoute
        from akari.proposals.models import Call

        super().__init__(*args, **kwargs)
        calls = Call.objects.filter(status=Call.Status.OPEN, programme__facility=facility)
        self.fields["call"].queryset = calls  # type: ignore[attr-defined]
        self.fields["route"].queryset = AccessRoute.objects.filter(  # type: ignore[attr-defined]
            calls__in=calls
        ).distinct()


class ProfileForm(forms.ModelForm):
    class Meta:
        model = ExpertiseProfile
        fields = [
            "headline",
            "techniques",
            "materials",
            "fields",
            "publications",
            "keywords_ja",
            "keywords_en",
            "published",
        ]
        widgets = {
            name: forms.Textarea(attrs={"rows": 3})
            for name in ("techniques", "materials", "fields", "publications")
        }


class NeedForm(forms.ModelForm):
    class Meta:
        model = CompanyNeed
        fields = ["facility", "organisation", "title", "description", "techniques"]
        widgets = {"description": forms.Textarea(attrs={"rows": 6})}

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        from akari.accounts.models import Organisation

        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.filter(  # type: ignore[attr-defined]
            affiliations__person=user
        ).distinct()


class ContactForm(forms.Form):
    message = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        label=_("Message to the researcher"),
    )


class OrderForm(forms.Form):
    facility = forms.ModelChoiceField(queryset=Facility.objects.none(), label=_("Facility"))
    kind = forms.ChoiceField(choices=ServiceOrder.Kind.choices, label=_("Service"))
    programme = forms.ChoiceField(choices=(), label=_("Programme"))
    organisation: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        queryset=Facility.objects.none(), label=_("Organisation billed")
    )
    technique = forms.CharField(max_length=200, label=_("Technique"))
    beamline = forms.ModelChoiceField(
        queryset=Beamline.objects.select_related("facility").order_by("facility", "code"),
        required=False,
        label=_("Beamline (if you know it)"),
    )
    experiment: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        queryset=Facility.objects.none(),
        required=False,
        label=_("Experiment (for data analysis)"),
    )
    measurements = forms.IntegerField(
        min_value=1, max_value=500, initial=1, label=_("Number of measurements")
    )
    deadline = forms.DateField(
        required=False, widget=forms.DateInput(attrs={"type": "date"}), label=_("Wanted by")
    )
    description = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 5}), label=_("What should be measured or analysed")
    )

    def __init__(
        self, *args: Any, user: Any, programmes: list[tuple[str, str]], **kwargs: Any
    ) -> None:
        from akari.accounts.models import Organisation
        from akari.beamtime.models import Experiment

        super().__init__(*args, **kwargs)
        self.fields["facility"] = _facility_field()
        self.fields["programme"].choices = programmes  # type: ignore[attr-defined]
        self.fields["organisation"].queryset = Organisation.objects.filter(  # type: ignore[attr-defined]
            affiliations__person=user
        ).distinct()
        self.fields["experiment"].queryset = (  # type: ignore[attr-defined]
            Experiment.objects.filter(lead=user).select_related("beamline").order_by("-start")
        )


class SampleForm(forms.Form):
    name = forms.CharField(max_length=200, required=False, label=_("Sample"))
    composition = forms.CharField(max_length=300, required=False, label=_("Composition / form"))
    quantity = forms.IntegerField(
        min_value=1, max_value=100, initial=1, required=False, label=_("Pieces")
    )
    hazards = forms.MultipleChoiceField(
        choices=Hazard.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=_("Hazards"),
    )
    hazards_details = forms.CharField(max_length=500, required=False, label=_("Hazard details"))


SampleFormSet = forms.formset_factory(SampleForm, extra=3, max_num=20)


class QuoteForm(forms.Form):
    hours = forms.DecimalField(
        min_value=0, max_digits=7, decimal_places=2, label=_("Estimated hours"), required=False
    )


class ShipForm(forms.Form):
    tracking_number = forms.CharField(max_length=60, label=_("Tracking number"))
    carrier = forms.CharField(max_length=60, required=False, label=_("Carrier"))


class DeliverForm(forms.Form):
    data_url = forms.URLField(max_length=500, label=_("Data link"))
    sha256 = forms.CharField(max_length=64, label=_("SHA-256 checksum"))


class SamplesDoneForm(forms.Form):
    outcome = forms.ChoiceField(
        choices=[("returned", _("Returned to the requester")), ("disposed", _("Disposed of"))],
        label=_("Samples"),
    )
    tracking_number = forms.CharField(
        max_length=60, required=False, label=_("Return tracking number")
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(max_length=300, required=False, label=_("Reason"))
