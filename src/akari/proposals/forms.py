"""Forms of the proposal pages: they validate input and hand clean data to a service."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from akari.core.i18n import localized
from akari.facility.models import Beamline, EndStation
from akari.policies.models import AccessRoute, Programme
from akari.proposals.models import Call, Hazard, Proposal, ResearchField, TeamMember

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATETIME_INPUT = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class RouteChoiceField(forms.ModelChoiceField[AccessRoute]):
    def label_from_instance(self, obj: AccessRoute) -> str:
        return localized(obj, "name")


class StartForm(forms.Form):
    """Start a proposal in a call: choose the access route."""

    route = RouteChoiceField(
        label=_("Access route"), queryset=AccessRoute.objects.none(), empty_label=None
    )

    def __init__(self, *args: Any, call: Call, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["route"].queryset = call.routes.order_by("order")  # type: ignore[attr-defined]


class ProposalForm(forms.ModelForm[Proposal]):
    """The draft's own fields. Nothing is required here: drafts save as you go, and the
    submission checks completeness."""

    route = RouteChoiceField(
        label=_("Access route"), queryset=AccessRoute.objects.none(), empty_label=None
    )
    field = forms.ModelChoiceField(
        label=_("Research field"), queryset=ResearchField.objects.all(), required=False
    )
    keywords = forms.CharField(
        label=_("Keywords"),
        required=False,
        help_text=_("Separated by commas, e.g. XAFS, catalysis, operando."),
    )
    hazards = forms.MultipleChoiceField(
        label=_("Sample hazards"),
        choices=Hazard.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Proposal
        fields = [
            "route",
            "title",
            "abstract",
            "purpose",
            "field",
            "keywords",
            "samples",
            "hazards",
            "hazards_details",
            "previous_proposals",
            "earliest_start",
        ]
        widgets = {
            "abstract": forms.Textarea(attrs={"rows": 5}),
            "purpose": forms.Textarea(attrs={"rows": 8}),
            "samples": forms.Textarea(attrs={"rows": 3}),
            "hazards_details": forms.Textarea(attrs={"rows": 3}),
            "previous_proposals": forms.Textarea(attrs={"rows": 2}),
            "earliest_start": DATE_INPUT,
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        call = self.instance.call
        self.fields["route"].queryset = call.routes.order_by("order")  # type: ignore[attr-defined]
        self.initial["keywords"] = ", ".join(self.instance.keywords or [])
        if call.kind != Call.Kind.ANYTIME:
            del self.fields["earliest_start"]
        for name in ("title", "abstract", "purpose", "samples"):
            self.fields[name].required = False

    def clean_keywords(self) -> list[str]:
        raw = self.cleaned_data.get("keywords") or ""
        words = [w.strip() for w in raw.replace("、", ",").split(",")]
        return list(dict.fromkeys(w for w in words if w))[:20]

    def draft_data(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.fields}


class TeamMemberForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address of their Akari account"))
    role = forms.ChoiceField(
        label=_("Role"),
        choices=[
            (TeamMember.Role.CO_INVESTIGATOR, TeamMember.Role.CO_INVESTIGATOR.label),
            (TeamMember.Role.STUDENT, TeamMember.Role.STUDENT.label),
        ],
    )
    is_experimenter = forms.BooleanField(
        label=_("Comes to the experiment"), required=False, initial=True
    )
    is_supervisor = forms.BooleanField(label=_("Supervisor of the student PI"), required=False)


class BeamlineChoiceField(forms.ModelChoiceField[Beamline]):
    def label_from_instance(self, obj: Beamline) -> str:
        return f"{obj.code} {localized(obj, 'name')}"


class EndStationChoiceField(forms.ModelChoiceField[EndStation]):
    def label_from_instance(self, obj: EndStation) -> str:
        return f"{obj.beamline.code} / {localized(obj, 'name')}"


class BeamlineRequestForm(forms.Form):
    beamline = BeamlineChoiceField(label=_("Beamline"), queryset=Beamline.objects.none())
    end_station = EndStationChoiceField(
        label=_("End station"), queryset=EndStation.objects.none(), required=False
    )
    units = forms.IntegerField(label=_("Beamtime requested"), min_value=1)

    def __init__(self, *args: Any, call: Call, unit_help: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        ids = [cb.beamline_id for cb in call.offered_beamlines.all()]
        offered = Beamline.objects.filter(pk__in=ids).order_by("code")
        self.fields["beamline"].queryset = offered  # type: ignore[attr-defined]
        self.fields["end_station"].queryset = (  # type: ignore[attr-defined]
            EndStation.objects.filter(beamline__in=offered)
            .select_related("beamline")
            .order_by("beamline__code", "code")
        )
        self.fields["units"].help_text = unit_help


class UnavailableForm(forms.Form):
    start = forms.DateField(label=_("From"), widget=DATE_INPUT)
    end = forms.DateField(label=_("Until"), widget=DATE_INPUT)
    reason = forms.CharField(label=_("Reason"), required=False, max_length=200)


class PublicationForm(forms.Form):
    citation = forms.CharField(label=_("Citation"), widget=forms.Textarea(attrs={"rows": 2}))
    authors = forms.CharField(
        label=_("Authors"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One author per line, as printed."),
    )
    doi = forms.CharField(label=_("DOI"), required=False, max_length=200)


class AttachmentForm(forms.Form):
    file = forms.FileField(
        label=_("PDF file"), widget=forms.ClearableFileInput(attrs={"accept": "application/pdf"})
    )


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )


class CallChoiceField(forms.ModelChoiceField[Call]):
    def label_from_instance(self, obj: Call) -> str:
        return f"{obj.programme} {obj.code}: {localized(obj, 'title')}"


class CopyForm(forms.Form):
    call = CallChoiceField(label=_("Copy into the call"), queryset=Call.objects.none())

    def __init__(self, *args: Any, calls: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["call"].queryset = calls  # type: ignore[attr-defined]


# --- Staff ------------------------------------------------------------------------------------


class CallForm(forms.Form):
    """A call's titles, period and dates. Empty dates on a new call are filled from the
    programme's policy."""

    code = forms.RegexField(
        label=_("Code"),
        regex=r"^[0-9A-Za-z-]{1,20}$",
        help_text=_("Proposal numbers start with it, e.g. 2026B."),
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=Call.Kind.choices)
    title_ja = forms.CharField(label=_("Title (Japanese)"), max_length=200)
    title_en = forms.CharField(label=_("Title (English)"), max_length=200)
    period_start = forms.DateField(label=_("Beamtime period starts"), widget=DATE_INPUT)
    period_end = forms.DateField(label=_("Beamtime period ends"), widget=DATE_INPUT)
    opens_at = forms.DateTimeField(
        label=_("Submission opens"), required=False, widget=DATETIME_INPUT
    )
    closes_at = forms.DateTimeField(
        label=_("Submission deadline"), required=False, widget=DATETIME_INPUT
    )
    technical_review_due = forms.DateField(
        label=_("Technical review due"), required=False, widget=DATE_INPUT
    )
    peer_review_due = forms.DateField(label=_("Peer review due"), required=False, widget=DATE_INPUT)
    committee_date = forms.DateField(
        label=_("Selection committee"), required=False, widget=DATE_INPUT
    )
    notification_date = forms.DateField(
        label=_("Applicants notified by"), required=False, widget=DATE_INPUT
    )

    DATE_FIELDS = (
        "opens_at",
        "closes_at",
        "technical_review_due",
        "peer_review_due",
        "committee_date",
        "notification_date",
    )

    def __init__(
        self, *args: Any, programme: Programme, editing: bool = False, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.beamlines = list(programme.beamlines.order_by("code"))
        for beamline in self.beamlines:
            self.fields[f"units_{beamline.pk}"] = forms.IntegerField(
                label=f"{beamline.code} {localized(beamline, 'name')}",
                required=False,
                min_value=1,
            )
        if editing:
            del self.fields["code"]
            del self.fields["kind"]
            for name in ("opens_at",):
                self.fields[name].required = True

    def beamline_fields(self) -> list[forms.BoundField]:
        return [self[f"units_{b.pk}"] for b in self.beamlines]

    def offer(self) -> dict[Beamline, int]:
        return {
            b: self.cleaned_data[f"units_{b.pk}"]
            for b in self.beamlines
            if self.cleaned_data.get(f"units_{b.pk}")
        }

    def dates(self) -> dict[str, dt.date | dt.datetime | None]:
        return {name: self.cleaned_data.get(name) for name in self.DATE_FIELDS}


class CallFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), required=False)
    beamline = forms.ChoiceField(label=_("Beamline"), required=False)
    route = forms.ChoiceField(label=_("Access route"), required=False)

    def __init__(self, *args: Any, call: Call, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        everything = [("", _("All"))]
        statuses = [s for s in Proposal.Status.choices if s[0] != Proposal.Status.DRAFT]
        self.fields["status"].choices = everything + statuses  # type: ignore[attr-defined]
        self.fields["beamline"].choices = everything + [  # type: ignore[attr-defined]
            (cb.beamline.code, cb.beamline.code) for cb in call.offered_beamlines.all()
        ]
        self.fields["route"].choices = everything + [  # type: ignore[attr-defined]
            (r.code, localized(r, "name")) for r in call.routes.all()
        ]

    def filters(self) -> dict[str, str]:
        if not self.is_valid():
            return {}
        return {k: v for k, v in self.cleaned_data.items() if v}
