"""Reads for people and organisations."""

from __future__ import annotations

from django.db.models import QuerySet

from akari.accounts.models import Affiliation, User


def affiliations_of(user: User) -> QuerySet[Affiliation]:
    return user.affiliations.select_related("organisation", "organisation__member_of")


def primary_affiliation(user: User) -> Affiliation | None:
    return affiliations_of(user).filter(is_primary=True).first()


def person_for_api(pk: int) -> User:
    return User.objects.prefetch_related("groups", "affiliations__organisation").filter(pk=pk).get()


def api_token_of(user: User) -> str | None:
    from rest_framework.authtoken.models import Token

    return Token.objects.filter(user=user).values_list("key", flat=True).first()
