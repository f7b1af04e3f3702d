"""Forms of the public site: the finder, and the staff forms for news and events."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from akari.core.i18n import localized
from akari.facility.models import Facility, PolicyArea
from akari.outreach.models import Audience, Event, NewsItem

LOCAL = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class AudienceChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj)


class FinderForm(forms.Form):
    q = forms.CharField(
        label=_("Your problem, in Japanese or English"),
        required=False,
        max_length=300,
        widget=forms.TextInput(
            attrs={"type": "search", "placeholder": _("e.g. battery degradation, 触媒の反応")}
        ),
    )
    policy_area = forms.ChoiceField(label=_("Policy area"), required=False)
    facility = forms.ChoiceField(label=_("Facility"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        anything = [("", _("Any"))]
        cast(forms.ChoiceField, self.fields["policy_area"]).choices = anything + [
            (area.code, localized(area, "name")) for area in PolicyArea.objects.all()
        ]
        cast(forms.ChoiceField, self.fields["facility"]).choices = anything + [
            (f.code, localized(f, "name")) for f in Facility.objects.order_by("code")
        ]


class NewsForm(forms.ModelForm):
    audiences = AudienceChoiceField(
        label=_("Audiences"),
        queryset=Audience.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = NewsItem
        fields = [
            "facility",
            "title_ja",
            "title_en",
            "body_ja",
            "body_en",
            "audiences",
            "publish_at",
        ]
        widgets = {
            "publish_at": LOCAL,
            "body_ja": forms.Textarea(attrs={"rows": 8}),
            "body_en": forms.Textarea(attrs={"rows": 8}),
        }


class EventForm(forms.ModelForm):
    audiences = AudienceChoiceField(
        label=_("Audiences"),
        queryset=Audience.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Event
        fields = [
            "facility",
            "kind",
            "mode",
            "title_ja",
            "title_en",
            "description_ja",
            "description_en",
            "starts_at",
            "ends_at",
            "venue_ja",
            "venue_en",
            "online_url",
            "capacity",
            "registration_opens_at",
            "registration_closes_at",
            "training_code",
            "training_valid_days",
            "audiences",
        ]
        widgets = {
            "starts_at": LOCAL,
            "ends_at": LOCAL,
            "registration_opens_at": LOCAL,
            "registration_closes_at": LOCAL,
            "description_ja": forms.Textarea(attrs={"rows": 5}),
            "description_en": forms.Textarea(attrs={"rows": 5}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("title_ja", "title_en"):
            self.fields[name].required = True


class CancelEventForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason (sent to the registered people)"), required=False, max_length=500
    )
