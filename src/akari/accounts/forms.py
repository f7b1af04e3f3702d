from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from akari.accounts.models import User
from akari.accounts.orcid import normalise


class ProfileForm(forms.ModelForm):
    # Accept the full https://orcid.org/… form too; it is normalised before model validation.
    orcid = forms.CharField(
        label=_("ORCID iD"),
        max_length=60,
        required=False,
        help_text=_("16 characters, e.g. 0000-0002-1825-0097."),
    )

    class Meta:
        model = User
        fields = [
            "family_name_ja",
            "given_name_ja",
            "family_name",
            "given_name",
            "preferred_language",
            "career_stage",
            "orcid",
            "country",
        ]

    def clean_orcid(self) -> str:
        return normalise(self.cleaned_data.get("orcid", ""))

    def clean_country(self) -> str:
        value = self.cleaned_data.get("country", "").upper()
        if value and (len(value) != 2 or not value.isalpha()):
            raise forms.ValidationError(_("Use a two-letter ISO country code, e.g. JP or DE."))
        return value
