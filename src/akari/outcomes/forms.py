"""Forms of outcomes pages (validation of input only; the services decide)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from akari.beamtime.models import Experiment
from akari.core import clock
from akari.facility.models import Beamline, Facility
from akari.outcomes.models import ExperimentReport, Obligation, Publication, SurveyQuestion
from akari.outcomes.publications import Author
from akari.proposals.models import ResearchField


class ReportForm(forms.ModelForm[ExperimentReport]):
    class Meta:
        model = ExperimentReport
        fields = ["language", "title", "aim", "method", "results", "outlook"]
        widgets = {
            name: forms.Textarea(attrs={"rows": 5})
            for name in ("aim", "method", "results", "outlook")
        }
        help_texts = {
            "aim": _("What question did the experiment answer? (目的)"),
            "method": _("Samples, beamline set-up and measurements. (方法)"),
            "results": _("What you found, with figures described in words. (結果)"),
            "outlook": _("What comes next: further experiments, papers. (今後の展望)"),
        }


class ExtensionForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))
    until = forms.DateField(
        label=_("Requested due date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )


class DecisionForm(forms.Form):
    new_due = forms.DateField(
        label=_("New due date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    note = forms.CharField(label=_("Note"), required=False, max_length=500)


class WaiveForm(forms.Form):
    reason = forms.CharField(label=_("Reason for waiving"), max_length=500)


class ReviewForm(forms.Form):
    note = forms.CharField(
        label=_("Note to the authors"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class ImportForm(forms.Form):
    text = forms.CharField(
        label=_("BibTeX or RIS"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Paste one entry exported from your reference manager or the journal."),
    )


def _experiment_label(experiment: Experiment) -> str:
    start = experiment.start.astimezone(clock.TOKYO)
    return f"{experiment.reference} · {experiment.beamline.code} · {start:%Y-%m-%d}"


class PublicationForm(forms.Form):
    kind = forms.ChoiceField(label=_("Type"), choices=Publication.Kind.choices)
    title = forms.CharField(
        label=pgettext_lazy("publication", "Title"),
        max_length=500,
        widget=forms.TextInput(attrs={"size": 80}),
    )
    doi = forms.CharField(
        label=_("DOI"), required=False, max_length=200, help_text=_("e.g. 10.1234/abcd.5678")
    )
    authors = forms.CharField(
        label=_("Authors"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "One author per line; add an ORCID iD after a semicolon: "
            "“Hana Sato; 0000-0002-1825-0097”."
        ),
    )
    container = forms.CharField(
        label=_("Journal, proceedings or institution"), required=False, max_length=300
    )
    year = forms.IntegerField(label=_("Year"), min_value=1950, max_value=2100)
    volume = forms.CharField(label=_("Volume"), required=False, max_length=30)
    pages = forms.CharField(label=_("Pages"), required=False, max_length=30)
    url = forms.URLField(label=_("URL"), required=False)
    field = forms.ModelChoiceField(
        label=_("Research field"), queryset=ResearchField.objects.all(), required=False
    )
    experiments = forms.ModelMultipleChoiceField(
        label=_("Experiments"),
        queryset=Experiment.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The experiments (beamtime) the publication used."),
    )
    beamlines = forms.ModelMultipleChoiceField(
        label=_("Other beamlines"),
        queryset=Beamline.objects.all(),
        required=False,
        help_text=_("Beamlines of the linked experiments are added by themselves."),
    )

    def __init__(self, *args: Any, experiments: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["experiments"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        field.queryset = experiments if experiments is not None else Experiment.objects.none()
        field.label_from_instance = _experiment_label  # type: ignore[method-assign,assignment]

    def author_list(self) -> list[Author]:
        authors = []
        for line in self.cleaned_data["authors"].splitlines():
            name, _sep, orcid = line.partition(";")
            if name.strip():
                authors.append(Author(name=name.strip(), orcid=orcid.strip()))
        return authors


class SurveyForm(forms.Form):
    def __init__(self, *args: Any, questions: list[SurveyQuestion], language: str, **kwargs: Any):
        super().__init__(*args, **kwargs)
        scale = [(str(n), str(n)) for n in range(1, 6)]
        for question in questions:
            label = question.text_ja if language == "ja" else question.text_en
            name = f"q{question.pk}"
            if question.kind == SurveyQuestion.Kind.SCALE:
                self.fields[name] = forms.ChoiceField(
                    label=label, choices=scale, widget=forms.RadioSelect, required=False
                )
            else:
                self.fields[name] = forms.CharField(
                    label=label, widget=forms.Textarea(attrs={"rows": 3}), required=False
                )

    def answers(self) -> dict[int, Any]:
        return {int(name[1:]): value for name, value in self.cleaned_data.items()}


class QueueFilter(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[("", _("Any")), *Obligation.Status.choices],
        required=False,
    )
    kind = forms.ChoiceField(
        label=_("Kind"), choices=[("", _("Any")), *Obligation.Kind.choices], required=False
    )
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)
    facility = forms.ModelChoiceField(
        label=_("Facility"), queryset=Facility.objects.order_by("code"), required=False
    )


class PublicFilter(forms.Form):
    beamline = forms.ModelChoiceField(
        label=_("Beamline"),
        queryset=Beamline.objects.order_by("code"),
        required=False,
        to_field_name="code",
    )
    year = forms.IntegerField(label=_("Year"), required=False, min_value=1950, max_value=2100)
    field = forms.ModelChoiceField(
        label=_("Research field"), queryset=ResearchField.objects.all(), required=False
    )
    programme = forms.CharField(label=_("Programme"), required=False, max_length=60)


class SurveyPeriodForm(forms.Form):
    start = forms.DateField(label=_("From"), widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("Until"), widget=forms.DateInput(attrs={"type": "date"}))

    @staticmethod
    def default() -> dict[str, dt.date]:
        today = clock.today()
        fiscal = today.year if today.month >= 4 else today.year - 1
        return {"start": dt.date(fiscal, 4, 1), "end": dt.date(fiscal + 1, 3, 31)}


class DatasetForm(forms.Form):
    pid = forms.CharField(label=_("Identifier"), max_length=200)
    location = forms.CharField(label=_("Location URI"), max_length=500)
    size_bytes = forms.IntegerField(label=_("Size (bytes)"), min_value=0)
    description = forms.CharField(label=_("Description"), required=False, max_length=300)
