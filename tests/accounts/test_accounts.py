"""Sign-up with e-mail verification, password reset, profile, roles, language."""

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group
from django.core import mail
from django.urls import reverse

from akari.accounts.models import Affiliation, User
from akari.accounts.roles import ROLE_PERMISSIONS, Role, has_role, sync_roles
from akari.accounts.services import role_grant, role_revoke
from tests.factories import PASSWORD, AffiliationFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_signup_sends_a_verification_mail_and_login_waits_for_it(client):
    response = client.post(
        reverse("account_signup"),
        {"email": "new.user@example.ac.jp", "password1": PASSWORD, "password2": PASSWORD},
        headers={"accept-language": "en"},
    )
    assert response.status_code == 302
    user = User.objects.get(email="new.user@example.ac.jp")
    assert not EmailAddress.objects.get(user=user).verified
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["new.user@example.ac.jp"]
    assert "/accounts/confirm-email/" in mail.outbox[0].body

    login = client.post(
        reverse("account_login"), {"login": "new.user@example.ac.jp", "password": PASSWORD}
    )
    assert login.status_code == 302
    assert login["Location"] == reverse("account_email_verification_sent")
    assert "_auth_user_id" not in client.session


def test_signup_language_becomes_the_preferred_language(client):
    client.post(
        reverse("account_signup"),
        {"email": "eng@example.org", "password1": PASSWORD, "password2": PASSWORD},
        headers={"accept-language": "en"},
    )
    assert User.objects.get(email="eng@example.org").preferred_language == "en"


def test_duplicate_email_creates_nothing_and_does_not_reveal_the_account(client):
    # allauth prevents account enumeration: the page looks like a normal sign-up, and the
    # owner of the address is told by mail that someone tried to sign up again.
    UserFactory(email="taken@example.org")
    response = client.post(
        reverse("account_signup"),
        {"email": "taken@example.org", "password1": PASSWORD, "password2": PASSWORD},
    )
    assert response.status_code == 302
    assert User.objects.filter(email="taken@example.org").count() == 1
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["taken@example.org"]


def test_password_reset_mails_a_link(client):
    person = UserFactory(email="forgot@example.org")
    response = client.post(reverse("account_reset_password"), {"email": person.email})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert "/accounts/password/reset/key/" in mail.outbox[0].body


def test_profile_saves_normalised_orcid_and_language(client):
    person = UserFactory()
    client.force_login(person)
    response = client.post(
        reverse("accounts:profile"),
        {
            "family_name_ja": "山田",
            "given_name_ja": "太郎",
            "family_name": "Yamada",
            "given_name": "Taro",
            "preferred_language": "en",
            "career_stage": "early_career",
            "orcid": "https://orcid.org/0000-0002-1694-233x",
            "country": "jp",
        },
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.orcid == "0000-0002-1694-233X"
    assert person.country == "JP"
    assert person.preferred_language == "en"
    assert person.career_stage == "early_career"
    assert person.name_ja == "山田 太郎"


def test_profile_with_bad_orcid_shows_translated_error_and_changes_nothing(client):
    person = UserFactory(family_name="Before")
    client.force_login(person)
    response = client.post(
        reverse("accounts:profile"),
        {
            "family_name": "After",
            "preferred_language": "ja",
            "orcid": "0000-0002-1825-0098",
            "country": "JP",
        },
        headers={"accept-language": "ja"},
    )
    assert response.status_code == 200
    assert "チェックディジット" in response.content.decode()
    person.refresh_from_db()
    assert person.family_name == "Before"
    assert person.orcid == ""


def test_profile_requires_login(client):
    response = client.get(reverse("accounts:profile"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_language_switch_remembers_choice_for_signed_in_user(client):
    person = UserFactory(preferred_language="ja")
    client.force_login(person)
    response = client.post(reverse("language_switch"), {"language": "en", "next": "/"})
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.preferred_language == "en"
    assert client.cookies["akari_language"].value == "en"


def test_preferred_language_applies_without_cookie(client):
    person = UserFactory(preferred_language="en")
    client.force_login(person)
    page = client.get(reverse("core:home"))
    assert page.content.decode().count('lang="en"') >= 1
    assert "Browse the beamlines" in page.content.decode()


def test_all_roles_exist_as_groups_with_their_permissions():
    sync_roles()
    assert set(Group.objects.values_list("name", flat=True)) >= set(Role.values)
    office = Group.objects.get(name=Role.USER_OFFICE)
    codes = {f"{p.content_type.app_label}.{p.codename}" for p in office.permissions.all()}
    assert "accounts.change_organisation" in codes
    assert "facility.change_beamline" in codes
    assert "accounts.delete_user" not in codes
    assert not Group.objects.get(name=Role.APPLICANT).permissions.exists()
    sysadmin = Group.objects.get(name=Role.SYSTEM_ADMIN)
    assert sysadmin.permissions.filter(codename="delete_user").exists()
    assert ROLE_PERMISSIONS[Role.SYSTEM_ADMIN] == ["*"]


def test_sync_roles_is_idempotent():
    sync_roles()
    before = {g.name: set(g.permissions.values_list("pk", flat=True)) for g in Group.objects.all()}
    sync_roles()
    after = {g.name: set(g.permissions.values_list("pk", flat=True)) for g in Group.objects.all()}
    assert before == after


def test_granting_an_admin_site_role_gives_admin_access_and_permissions():
    person = UserFactory()
    role_grant(user=person, role=Role.USER_OFFICE)
    person = User.objects.get(pk=person.pk)
    assert person.is_staff
    assert has_role(person, Role.USER_OFFICE)
    assert person.has_perm("accounts.change_organisation")
    role_revoke(user=person, role=Role.USER_OFFICE)
    person = User.objects.get(pk=person.pk)
    assert not person.has_perm("accounts.change_organisation")


def test_granting_applicant_does_not_open_the_admin():
    person = UserFactory(roles=[Role.APPLICANT])
    assert not User.objects.get(pk=person.pk).is_staff


def test_one_primary_affiliation_per_person():
    from django.db import IntegrityError

    affiliation = AffiliationFactory()
    with pytest.raises(IntegrityError):
        Affiliation.objects.create(
            person=affiliation.person, organisation=OrganisationFactory(), is_primary=True
        )


def test_display_name_follows_language():
    from django.utils import translation

    person = UserFactory(
        family_name="Sato", given_name="Hana", family_name_ja="佐藤", given_name_ja="花"
    )
    with translation.override("ja"):
        assert person.display_name == "佐藤 花"
    with translation.override("en"):
        assert person.display_name == "Hana Sato"
