"""The committee's override of one row of the table."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from akari.proposals.models import Proposal


class DecisionForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Decision"),
        choices=[
            (Proposal.Status.ACCEPTED, _("Award beamtime")),
            (Proposal.Status.WAITLISTED, _("Waitlist")),
            (Proposal.Status.REJECTED, _("Reject")),
        ],
    )
    units = forms.IntegerField(label=_("Beamtime awarded"), min_value=0, required=False)
    reason = forms.CharField(label=_("Reason"), max_length=500, required=False)

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        if data.get("outcome") == Proposal.Status.ACCEPTED and not data.get("units"):
            self.add_error("units", _("Give the beamtime awarded on this beamline."))
        return data
