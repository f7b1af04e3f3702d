"""Reads for people and organisations."""

from __future__ import annotations

from django.db.models import QuerySet

from akari.accounts.models import Affiliation, User


def affiliations_of(user: User) -> QuerySet[Affiliation]:
    return user.affiliations.select_related("organisation", "organisation__member_of")


def primary_affiliation(user: User) -> Affiliation | None:
    return affiliations_of(user).filter(is_primary=True).first()
