"""Partner matching: profiles, needs, ranked suggestions, contact and the researcher's answer.

Suggestions are recomputed when a need is saved (and on demand): the published profiles are
ranked by :mod:`akari.services.matching_engine`; the top ``AKARI_MATCHING_SUGGESTIONS``
(default 5) with a score of at least ``AKARI_MATCHING_MIN_SCORE`` (default 0.03) and a shared
term to show are kept as ``suggested``. A suggestion the company has acted on (contacted,
accepted, declined) is never removed or re-ranked.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from akari.accounts.models import Organisation, User
from akari.core import audit, clock
from akari.core.workflow import transition
from akari.facility.models import Facility
from akari.notifications.services import notify
from akari.services import matching_engine, permissions
from akari.services.models import CompanyNeed, ExpertiseProfile, MatchSuggestion

DEFAULT_SUGGESTIONS = 5
DEFAULT_MIN_SCORE = 0.03
PROFILE_FIELDS = (
    "headline",
    "techniques",
    "materials",
    "fields",
    "publications",
    "keywords_ja",
    "keywords_en",
    "published",
)


def suggestions_wanted() -> int:
    return int(getattr(settings, "AKARI_MATCHING_SUGGESTIONS", DEFAULT_SUGGESTIONS))


def min_score() -> float:
    """Below this cosine similarity (or with no shared term to show) nothing is suggested."""
    return float(getattr(settings, "AKARI_MATCHING_MIN_SCORE", DEFAULT_MIN_SCORE))


@transaction.atomic
def profile_save(*, actor: User, data: dict[str, Any]) -> ExpertiseProfile:
    """Create or update the actor's own expertise profile."""
    unknown = set(data) - set(PROFILE_FIELDS)
    if unknown:
        raise TypeError(f"Not profile fields: {sorted(unknown)}")
    if not str(data.get("headline", "")).strip():
        raise ValidationError({"headline": _("Give your profile a headline.")})
    profile, created = ExpertiseProfile.objects.update_or_create(person=actor, defaults=data)
    audit.record(actor=actor, action="services.profile_saved", obj=profile, created=created)
    return profile


def _check_organisation(actor: User, organisation: Organisation) -> None:
    if not actor.affiliations.filter(organisation=organisation).exists():
        raise ValidationError(
            {"organisation": _("You can describe needs only for an organisation you belong to.")}
        )


@transaction.atomic
def need_create(
    *,
    facility: Facility,
    organisation: Organisation,
    title: str,
    description: str,
    techniques: str = "",
    actor: User,
) -> CompanyNeed:
    _check_organisation(actor, organisation)
    if not title.strip() or not description.strip():
        raise ValidationError(_("A need has a title and a description."))
    need = CompanyNeed.objects.create(
        facility=facility,
        organisation=organisation,
        owner=actor,
        title=title.strip()[:200],
        description=description.strip(),
        techniques=techniques.strip()[:300],
    )
    audit.record(actor=actor, action="services.need_created", obj=need)
    suggestions_refresh(need=need, actor=actor)
    return need


@transaction.atomic
def suggestions_refresh(*, need: CompanyNeed, actor: Any | None) -> list[MatchSuggestion]:
    """Rank the published profiles for ``need`` and keep the best as suggestions."""
    locked = CompanyNeed.objects.select_for_update().get(pk=need.pk)
    kept = MatchSuggestion.objects.filter(need=locked).exclude(
        status=MatchSuggestion.Status.SUGGESTED
    )
    kept_profiles = set(kept.values_list("profile_id", flat=True))
    MatchSuggestion.objects.filter(need=locked, status=MatchSuggestion.Status.SUGGESTED).delete()
    profiles = list(
        ExpertiseProfile.objects.filter(published=True)
        .exclude(person_id=locked.owner_id)
        .exclude(pk__in=kept_profiles)
        .order_by("pk")
    )
    if not profiles:
        return []
    matches = matching_engine.Index([p.text() for p in profiles]).rank(
        locked.text(), limit=suggestions_wanted(), min_score=min_score()
    )
    matches = [m for m in matches if m.reasons]
    made = [
        MatchSuggestion(
            need=locked,
            profile=profiles[m.index],
            rank=rank,
            score=m.score,
            reasons=m.reasons,
        )
        for rank, m in enumerate(matches, 1)
    ]
    MatchSuggestion.objects.bulk_create(made)
    return made


@transaction.atomic
def suggestion_contact(
    *, suggestion: MatchSuggestion, actor: User, message: str = ""
) -> MatchSuggestion:
    """The company chooses to contact a suggested researcher: the need is disclosed to them."""
    if suggestion.need.owner_id != actor.pk:
        raise ValidationError(_("Only the need's owner can contact a researcher."))
    if suggestion.need.status != CompanyNeed.Status.OPEN:
        raise ValidationError(_("This need is closed."))
    result = transition(
        suggestion,
        MatchSuggestion.Status.CONTACTED,
        actor=actor,
        extra_updates={"message": message.strip(), "contacted_at": clock.now()},
    )
    audit.record(actor=actor, action="services.match_contacted", obj=result)
    notify(
        recipient=suggestion.profile.person,
        kind="services.match_contact",
        context={"title": suggestion.need.title, "company": str(suggestion.need.organisation)},
        dedupe_key=f"services.match_contact:{suggestion.pk}",
        link=reverse("services:match-request", args=[suggestion.pk]),
    )
    return result


@transaction.atomic
def suggestion_answer(*, suggestion: MatchSuggestion, accept: bool, actor: User) -> MatchSuggestion:
    """The researcher accepts or declines a contact request."""
    if not permissions.can_answer(actor, suggestion):
        raise ValidationError(_("You cannot answer this request."))
    to = MatchSuggestion.Status.ACCEPTED if accept else MatchSuggestion.Status.DECLINED
    result = transition(suggestion, to, actor=actor, extra_updates={"answered_at": clock.now()})
    audit.record(actor=actor, action="services.match_answered", obj=result, accepted=accept)
    notify(
        recipient=suggestion.need.owner,
        kind="services.match_answer",
        context={
            "title": suggestion.need.title,
            "researcher": str(suggestion.profile.person),
            "accepted": accept,
        },
        dedupe_key=f"services.match_answer:{suggestion.pk}",
        link=reverse("services:need", args=[suggestion.need_id]),
    )
    return result


@transaction.atomic
def need_close(*, need: CompanyNeed, actor: User) -> CompanyNeed:
    if need.owner_id != actor.pk:
        raise ValidationError(_("Only the need's owner can close it."))
    return transition(need, CompanyNeed.Status.CLOSED, actor=actor)
