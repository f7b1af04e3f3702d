"""Staff roles must use TOTP: enrolment is enforced, and login asks for the code."""

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import (
    TOTP,
    format_hotp_value,
    generate_totp_secret,
    hotp_value,
    yield_hotp_counters_from_time,
)
from django.urls import reverse

from akari.accounts.permissions import must_enrol_mfa, requires_mfa
from akari.accounts.roles import Role
from tests.factories import PASSWORD, UserFactory

STAFF_ROLES = [
    Role.REVIEWER,
    Role.BEAMLINE_SCIENTIST,
    Role.USER_OFFICE,
    Role.FINANCE,
    Role.MANAGEMENT,
    Role.SYSTEM_ADMIN,
]
NON_STAFF_ROLES = [Role.APPLICANT, Role.MEMBER_ADMIN]


def login_with_password(client, person) -> None:
    """A real password login (so allauth counts it as a recent authentication)."""
    response = client.post(reverse("account_login"), {"login": person.email, "password": PASSWORD})
    assert response.status_code == 302


def reauthenticate(client) -> None:
    response = client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    assert response.status_code == 302


def current_code(secret: str) -> str:
    counters = list(yield_hotp_counters_from_time())
    return format_hotp_value(hotp_value(secret, counters[len(counters) // 2]))


@pytest.mark.django_db
@pytest.mark.parametrize("role", STAFF_ROLES)
def test_staff_role_without_totp_is_sent_to_enrolment(client, role):
    person = UserFactory(roles=[role])
    login_with_password(client, person)
    response = client.get(reverse("facility:catalogue"))
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('mfa_activate_totp')}?next=/beamlines/"
    # The enrolment page is reachable, after confirming the password (allauth's reauthentication).
    reauthenticate(client)
    assert client.get(reverse("mfa_activate_totp")).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("role", NON_STAFF_ROLES)
def test_non_staff_roles_are_not_forced(client, role):
    person = UserFactory(roles=[role])
    client.force_login(person)
    assert not requires_mfa(person)
    assert client.get(reverse("accounts:profile")).status_code == 200


@pytest.mark.django_db
def test_superuser_without_role_is_forced_too(client):
    admin = UserFactory(is_superuser=True, is_staff=True)
    assert must_enrol_mfa(admin)
    client.force_login(admin)
    assert client.get("/admin/").status_code == 302


@pytest.mark.django_db
def test_enrolled_staff_passes(client):
    person = UserFactory(roles=[Role.USER_OFFICE])
    TOTP.activate(person, generate_totp_secret())
    client.force_login(person)
    assert client.get(reverse("accounts:profile")).status_code == 200


@pytest.mark.django_db
def test_login_of_enrolled_staff_asks_for_the_code_and_refuses_a_wrong_one(client):
    person = UserFactory(roles=[Role.FINANCE])
    secret = generate_totp_secret()
    TOTP.activate(person, secret)

    response = client.post(reverse("account_login"), {"login": person.email, "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_authenticate")
    # Not logged in yet.
    assert client.get(reverse("accounts:profile")).status_code == 302

    wrong = client.post(reverse("mfa_authenticate"), {"code": "000000"})
    assert wrong.status_code == 200
    assert "_auth_user_id" not in client.session

    right = client.post(reverse("mfa_authenticate"), {"code": current_code(secret)})
    assert right.status_code == 302
    assert client.session["_auth_user_id"] == str(person.pk)
    assert client.get(reverse("accounts:profile")).status_code == 200


@pytest.mark.django_db
def test_enrolment_through_the_activation_page_unlocks_the_site(client):
    person = UserFactory(roles=[Role.BEAMLINE_SCIENTIST])
    login_with_password(client, person)
    reauthenticate(client)
    page = client.get(reverse("mfa_activate_totp"))
    secret = page.context["form"].secret
    response = client.post(reverse("mfa_activate_totp"), {"code": current_code(secret)})
    assert response.status_code == 302
    assert Authenticator.objects.filter(user=person, type=Authenticator.Type.TOTP).exists()
    assert client.get(reverse("facility:catalogue")).status_code == 200


@pytest.mark.django_db
def test_admin_login_goes_through_allauth_so_the_second_factor_applies(client):
    person = UserFactory(roles=[Role.USER_OFFICE])
    TOTP.activate(person, generate_totp_secret())
    response = client.post(
        "/admin/login/?next=/admin/", {"username": person.email, "password": PASSWORD}
    )
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('account_login')}?next=/admin/"
    assert "_auth_user_id" not in client.session
    assert client.get("/admin/").status_code == 302
