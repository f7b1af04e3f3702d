"""Forms of the coalition pages (validation of input only; rules live in the services)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from akari.accounts.models import Organisation
from akari.coalition import policy, rounds, selectors
from akari.coalition.models import Membership, UseType
from akari.core.clock import TOKYO
from akari.core.i18n import localized
from akari.facility.models import Beamline

HOURS = [(h, f"{h:02d}:00") for h in range(24)]


class _BeamlineChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.code} {localized(obj, 'name')}"


class _MembershipChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.organisation)


class SlotForm(forms.Form):
    """A member's choice of time: beamline, day, first hour and number of hours."""

    membership = _MembershipChoice(queryset=Membership.objects.none(), label=_("Member"))
    beamline = _BeamlineChoice(queryset=Beamline.objects.none(), label=_("Beamline"))
    day = forms.DateField(label=_("Day"), widget=forms.DateInput(attrs={"type": "date"}))
    start_hour = forms.TypedChoiceField(label=_("From"), choices=HOURS, coerce=int, initial=9)
    hours = forms.IntegerField(label=_("Hours"), min_value=1, max_value=24, initial=1)
    use_type = forms.ChoiceField(
        label=_("Use type"), choices=UseType.choices, initial=UseType.BASIC
    )

    def __init__(self, *args: Any, memberships: list[Membership], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["membership"].queryset = Membership.objects.filter(  # type: ignore[attr-defined]
            pk__in=[m.pk for m in memberships]
        ).select_related("organisation")
        if memberships:
            self.fields["membership"].initial = memberships[0].pk
        self.fields["beamline"].queryset = selectors.coalition_beamlines()  # type: ignore[attr-defined]

    def interval(self) -> tuple[dt.datetime, dt.datetime]:
        data = self.cleaned_data
        day: dt.date = data["day"]
        start = dt.datetime(day.year, day.month, day.day, data["start_hour"], tzinfo=TOKYO)
        return start, start + dt.timedelta(hours=data["hours"])


class WaitlistForm(SlotForm):
    pass


class PersonAddForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address of an existing account"))
    can_book = forms.BooleanField(label=_("May book"), required=False, initial=True)
    is_admin = forms.BooleanField(label=_("Member administrator"), required=False)


class WindowForm(forms.Form):
    ACTIONS = [("open", _("Open to member booking")), ("close", _("Close to member booking"))]

    beamline = _BeamlineChoice(queryset=Beamline.objects.none(), label=_("Beamline"))
    first_day = forms.DateField(
        label=_("First day"), widget=forms.DateInput(attrs={"type": "date"})
    )
    last_day = forms.DateField(label=_("Last day"), widget=forms.DateInput(attrs={"type": "date"}))
    from_hour = forms.TypedChoiceField(label=_("From"), choices=HOURS, coerce=int, initial=9)
    to_hour = forms.TypedChoiceField(
        label=_("Until"), choices=[*HOURS[1:], (24, "24:00")], coerce=int, initial=21
    )
    weekdays_only = forms.BooleanField(label=_("Weekdays only"), required=False, initial=True)
    action = forms.ChoiceField(label=_("Action"), choices=ACTIONS, initial="open")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["beamline"].queryset = selectors.coalition_beamlines()  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        first, last = data.get("first_day"), data.get("last_day")
        if first and last and last < first:
            raise forms.ValidationError(_("The last day must not be before the first day."))
        if first and last and (last - first).days > 366:
            raise forms.ValidationError(_("Open or close at most one year at a time."))
        begin, finish = data.get("from_hour"), data.get("to_hour")
        if begin is not None and finish is not None and finish <= begin:
            raise forms.ValidationError(_("The end hour must be after the start hour."))
        return data

    def intervals(self) -> list[tuple[dt.datetime, dt.datetime]]:
        data = self.cleaned_data
        out = []
        day = data["first_day"]
        while day <= data["last_day"]:
            if not data["weekdays_only"] or day.weekday() < 5:
                base = dt.datetime(day.year, day.month, day.day, tzinfo=TOKYO)
                out.append(
                    (
                        base + dt.timedelta(hours=data["from_hour"]),
                        base + dt.timedelta(hours=data["to_hour"]),
                    )
                )
            day += dt.timedelta(days=1)
        return out


class MembershipForm(forms.Form):
    organisation = forms.ModelChoiceField(
        queryset=Organisation.objects.none(), label=_("Organisation")
    )
    member_class = forms.ChoiceField(label=_("Member class"), choices=())
    units = forms.IntegerField(label=_("Units"), min_value=1, max_value=100, initial=1)
    joined_on = forms.DateField(
        label=_("Joined on"), widget=forms.DateInput(attrs={"type": "date"})
    )
    joining_fiscal_year = forms.IntegerField(
        label=_("Joining fiscal year"),
        required=False,
        min_value=2000,
        max_value=2100,
        help_text=_("Fixes the hourly rate; default: the fiscal year of the joining date."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.filter(  # type: ignore[attr-defined]
            coalition_membership__isnull=True,
            kind__in=[
                Organisation.Kind.COMPANY,
                Organisation.Kind.STARTUP,
                Organisation.Kind.SME,
                Organisation.Kind.GROUP,
                Organisation.Kind.UNIVERSITY,
                Organisation.Kind.NATIONAL_INSTITUTE,
                Organisation.Kind.OTHER,
            ],
        ).order_by("name_en")
        self.fields["member_class"].choices = [  # type: ignore[attr-defined]
            (c.code, rounds.text(c.name)) for c in policy.pack().member_classes
        ]


class AllocationForm(forms.Form):
    month = forms.RegexField(label=_("Month"), regex=r"^\d{4}-\d{2}$", help_text=_("e.g. 2026-12"))
    seed = forms.IntegerField(
        label=_("Lottery seed"),
        required=False,
        min_value=0,
        help_text=_("Leave empty for a random seed (it is recorded with the run)."),
    )

    def month_date(self) -> dt.date:
        return dt.date.fromisoformat(f"{self.cleaned_data['month']}-01")


class RequestForm(SlotForm):
    pass
