"""The admin shows notifications read-only; the one action sends failed e-mails again."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.contrib.auth.models import Permission
from django.test import RequestFactory

from akari.core.workflow import history
from akari.notifications.models import Notification
from tests.factories import UserFactory
from tests.notifications.factories import NotificationFactory

pytestmark = pytest.mark.django_db

URL = "/admin/notifications/notification/"


@pytest.fixture
def admin_client(client, monkeypatch):
    monkeypatch.setattr("akari.accounts.middleware.must_enrol_mfa", lambda user: False)
    superuser = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(superuser)
    client.person = superuser
    return client


def test_the_admin_is_read_only():
    request = RequestFactory().get(URL)
    request.user = UserFactory(is_staff=True, is_superuser=True)
    model_admin = admin.site._registry[Notification]

    assert model_admin.has_view_permission(request) is True
    assert model_admin.has_add_permission(request) is False
    assert model_admin.has_change_permission(request) is False
    assert model_admin.has_delete_permission(request) is False


def test_list_filters_by_status_and_kind(admin_client):
    NotificationFactory(subject="[Akari] Sent one", email_status="sent")
    NotificationFactory(subject="[Akari] Failed one", email_status="failed", kind="proposals.x")

    by_status = admin_client.get(URL, {"email_status__exact": "failed"})
    by_kind = admin_client.get(URL, {"kind": "notifications.message"})

    assert by_status.status_code == 200
    assert [n.subject for n in by_status.context["cl"].result_list] == ["[Akari] Failed one"]
    assert [n.subject for n in by_kind.context["cl"].result_list] == ["[Akari] Sent one"]


def test_the_detail_page_renders_without_a_save_button(admin_client):
    notification = NotificationFactory(context={"proposal_number": "2026B0001"})

    response = admin_client.get(f"{URL}{notification.pk}/change/")

    assert response.status_code == 200
    assert "2026B0001" in response.content.decode()
    assert 'name="_save"' not in response.content.decode()


def test_resend_puts_failed_mails_back_in_the_queue(
    admin_client, settings, mailoutbox, django_capture_on_commit_callbacks
):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    failed = NotificationFactory(email_status="failed", email_attempts=5, email_last_error="x")
    sent = NotificationFactory(email_status="sent", email_attempts=1)

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            URL,
            {"action": "resend_email", "_selected_action": [failed.pk, sent.pk]},
            follow=True,
        )

    assert response.status_code == 200
    messages = [str(m) for m in response.context["messages"]]
    assert len(messages) == 2
    failed.refresh_from_db()
    sent.refresh_from_db()
    assert failed.email_status == "sent"
    assert failed.email_attempts == 1
    assert sent.email_attempts == 1
    assert [m.to for m in mailoutbox] == [[failed.recipient.email]]
    events = [(e.from_status, e.to_status, e.actor) for e in history(failed, "email_status")]
    assert events == [("failed", "pending", admin_client.person), ("pending", "sent", None)]


def test_resend_needs_its_own_permission():
    viewer = UserFactory(is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_notification"))
    request = RequestFactory().get(URL)
    request.user = viewer
    model_admin = admin.site._registry[Notification]

    assert model_admin.has_view_permission(request) is True
    assert model_admin.has_resend_permission(request) is False
    assert "resend_email" not in model_admin.get_actions(request)
