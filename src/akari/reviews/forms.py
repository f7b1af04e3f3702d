"""Forms of the review pages (validation only; the services apply the rules)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from akari.accounts.models import User
from akari.facility.models import Beamline
from akari.policies.schema import PeerReview
from akari.reviews.models import TechnicalReview


class TechnicalReviewForm(forms.Form):
    verdict = forms.ChoiceField(
        label=_("Verdict"), choices=TechnicalReview.Verdict.choices, widget=forms.RadioSelect
    )
    comment_to_applicant = forms.CharField(
        label=_("Comment to the applicant"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Sent to the applicants with the decision."),
    )
    internal_comment = forms.CharField(
        label=_("Internal comment"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Seen by the facility and the selection committee only."),
    )
    recommended_units = forms.IntegerField(
        label=_("Recommended beamtime"),
        required=False,
        min_value=0,
        help_text=_("In the programme's time unit; empty to accept the request."),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        verdict = data.get("verdict")
        if (
            verdict == TechnicalReview.Verdict.FEASIBLE_WITH_CONDITIONS
            and not (data.get("comment_to_applicant") or "").strip()
        ):
            self.add_error("comment_to_applicant", _("Tell the applicants the conditions."))
        if verdict == TechnicalReview.Verdict.NOT_FEASIBLE and not (
            (data.get("comment_to_applicant") or "").strip()
            or (data.get("internal_comment") or "").strip()
        ):
            self.add_error("internal_comment", _("Say why the experiment is not feasible."))
        return data


class ReviewForm(forms.Form):
    """Score on the programme's scale (``peer_review`` in the policy) and a comment."""

    score = forms.IntegerField(label=_("Score"))
    comment = forms.CharField(label=_("Comment"), widget=forms.Textarea(attrs={"rows": 6}))

    def __init__(self, *args: Any, policy: PeerReview, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        scale = {"min": policy.score_min, "max": policy.score_max}
        self.fields["score"] = forms.IntegerField(
            label=_("Score"),
            min_value=policy.score_min,
            max_value=policy.score_max,
            help_text=(
                _("%(min)s (lowest) to %(max)s (best).")
                if policy.higher_is_better
                else _("%(min)s (best) to %(max)s (lowest).")
            )
            % scale,
        )


class DeclineForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason (optional)"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ConflictForm(forms.Form):
    detail = forms.CharField(
        label=_("What is the conflict?"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("E.g. a recent collaboration, a family tie, a competing project."),
    )


class TechnicalAssignForm(forms.Form):
    reviewer = forms.ModelChoiceField(label=_("Technical reviewer"), queryset=User.objects.none())

    def __init__(self, *args: Any, scientists: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["reviewer"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = scientists


class AddReviewerForm(forms.Form):
    """A reviewer of the call's panels, by e-mail address (the page offers a list)."""

    email = forms.EmailField(label=_("Reviewer's e-mail address"))

    def __init__(self, *args: Any, pool: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.pool = pool

    def clean_email(self) -> User:
        email = self.cleaned_data["email"].lower()
        person = self.pool.filter(email=email).first()
        if person is None:
            raise forms.ValidationError(_("No reviewer of this call's panels has that address."))
        return person


class RankingForm(forms.Form):
    beamline = forms.ModelChoiceField(
        label=_("Beamline"), queryset=Beamline.objects.none(), to_field_name="code"
    )

    def __init__(self, *args: Any, beamlines: QuerySet[Beamline], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["beamline"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = beamlines
