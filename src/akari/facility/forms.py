"""Forms of the facility catalogue."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from akari.facility.models import Beamline
from akari.facility.selectors import BeamlineFilters, CatalogueOptions


class CatalogueFilterForm(forms.Form):
    """The catalogue's GET filters. Choices come from :func:`selectors.catalogue_options`, so
    validating and rendering cost no further queries.

    An invalid value (an unknown code, an over-long search) is reported on its field and that
    filter is ignored: the page still answers, with the valid filters applied.
    """

    facility = forms.ChoiceField(label=_("Facility"), required=False)
    technique = forms.CharField(
        label=_("Technique or keyword"),
        required=False,
        max_length=100,
        widget=forms.TextInput(
            attrs={"type": "search", "placeholder": _("e.g. RIXS, XAFS, imaging")}
        ),
    )
    policy_area = forms.ChoiceField(label=_("Policy area"), required=False)
    programme = forms.ChoiceField(label=_("Programme"), required=False)
    access_scheme = forms.ChoiceField(label=_("Operated for"), required=False)

    def __init__(self, *args: Any, options: CatalogueOptions, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._set_choices("facility", _("All facilities"), options.facilities)
        self._set_choices("policy_area", _("All policy areas"), options.policy_areas)
        self._set_choices("programme", _("All programmes"), options.programmes)
        self._set_choices("access_scheme", _("Any"), Beamline.AccessScheme.choices)

    def _set_choices(self, name: str, blank: Any, choices: Sequence[tuple[str, Any]]) -> None:
        field = self.fields[name]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", blank), *choices]

    def filters(self) -> BeamlineFilters:
        """The valid filters (call after ``is_valid()``; invalid fields are left out)."""
        if not self.is_bound:
            return BeamlineFilters()
        self.is_valid()
        data = self.cleaned_data
        return BeamlineFilters(
            facility=data.get("facility", ""),
            technique=data.get("technique", "").strip(),
            policy_area=data.get("policy_area", ""),
            programme=data.get("programme", ""),
            access_scheme=data.get("access_scheme", ""),
        )
