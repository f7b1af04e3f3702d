"""The waitlist in the admin: visible to the user office, never editable there."""

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

from akari.accounts.roles import Role
from akari.selection.models import WaitlistEntry
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_waitlist_admin_is_read_only_for_the_user_office(client):
    office = UserFactory(roles=[Role.USER_OFFICE])
    TOTP.activate(office, generate_totp_secret())
    client.force_login(office)
    assert client.get("/admin/selection/waitlistentry/").status_code == 200
    assert client.get("/admin/selection/waitlistentry/add/").status_code == 403
    assert WaitlistEntry.objects.count() == 0


def test_waitlist_admin_is_closed_to_applicants(client):
    client.force_login(UserFactory(roles=[Role.APPLICANT]))
    assert client.get("/admin/selection/waitlistentry/").status_code == 302
