"""factory_boy factories shared by the test suite."""

from __future__ import annotations

import factory
from allauth.account.models import EmailAddress

from akari.accounts.models import Affiliation, Organisation, User
from akari.accounts.services import role_grant

PASSWORD = "correct-horse-battery-staple"


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name_en = factory.Sequence(lambda n: f"Organisation {n}")
    name_ja = factory.Sequence(lambda n: f"組織{n}")
    kind = Organisation.Kind.UNIVERSITY
    sector = Organisation.Sector.ACADEMIA
    country = "JP"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    family_name = "Sato"
    given_name = factory.Sequence(lambda n: f"Hana{n}")
    family_name_ja = "佐藤"
    given_name_ja = "花"
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def verified(self, create, extracted, **kwargs):  # type: ignore[no-untyped-def]
        if create:
            self.save()
            EmailAddress.objects.create(user=self, email=self.email, verified=True, primary=True)

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):  # type: ignore[no-untyped-def]
        for role in extracted or ():
            role_grant(user=self, role=role)


class AffiliationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Affiliation

    person = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    is_primary = True
