"""The inbox: one's own notifications only, newest first, unread highlighted; marking read
(htmx and plain POST); the unread badge; pinned query counts."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from akari.core import clock
from akari.notifications.models import Notification
from akari.notifications.selectors import unread_count
from tests.factories import UserFactory
from tests.notifications.factories import NotificationFactory

pytestmark = pytest.mark.django_db

INBOX = "/inbox/"


def signed_in(person) -> Client:
    client = Client()
    client.force_login(person)
    return client


def htmx(client: Client, url: str, data=None):
    return client.post(url, data or {}, headers={"HX-Request": "true"})


def test_inbox_url():
    assert reverse("notifications:inbox") == INBOX


def test_anonymous_visitors_are_sent_to_log_in(client):
    response = client.get(INBOX)

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_inbox_lists_only_my_notifications_newest_first(ja_person, frozen_clock):
    other = UserFactory()
    for hours, subject in [(1, "Older"), (3, "Newest"), (2, "Middle")]:
        with clock.frozen(frozen_clock + dt.timedelta(hours=hours)):
            NotificationFactory(recipient=ja_person, subject=f"[Akari] {subject}")
    NotificationFactory(recipient=other, subject="[Akari] Someone else's")

    response = signed_in(ja_person).get(INBOX)

    assert response.status_code == 200
    assert [n.title for n in response.context["page"]] == ["Newest", "Middle", "Older"]
    assert "Someone else" not in response.content.decode()


def test_unread_notifications_are_highlighted_and_link_to_their_page(ja_person, frozen_clock):
    NotificationFactory(recipient=ja_person, subject="[Akari] Read one", read_at=frozen_clock)
    unread = NotificationFactory(
        recipient=ja_person, subject="[Akari] Review assigned", link="/reviews/5/"
    )

    response = signed_in(ja_person).get(INBOX, headers={"accept-language": "en"})

    html = response.content.decode()
    assert response.context["unread"] == 1
    assert f'id="notification-{unread.pk}" class="card inbox-item unread"' in html
    assert '<a href="/reviews/5/" class="inbox-subject">Review assigned</a>' in html
    assert html.count('data-read="false"') == 1
    assert html.count('data-read="true"') == 1
    assert "未読のお知らせが 1 件あります" in html  # the person's language (ja) wins


def test_an_empty_inbox_says_so(ja_person):
    response = signed_in(ja_person).get(INBOX)

    assert 'data-testid="inbox-empty"' in response.content.decode()
    assert "お知らせはまだありません。" in response.content.decode()


def test_the_inbox_speaks_english_to_an_english_reader(en_person):
    NotificationFactory(recipient=en_person)

    html = signed_in(en_person).get(INBOX).content.decode()

    assert "1 unread notification" in html
    assert "Mark all as read" in html


def test_the_inbox_is_paginated(ja_person):
    NotificationFactory.create_batch(30, recipient=ja_person)

    first = signed_in(ja_person).get(INBOX)
    second = signed_in(ja_person).get(INBOX, {"page": 2})

    assert len(first.context["page"].object_list) == 25
    assert len(second.context["page"].object_list) == 5
    assert 'rel="next"' in first.content.decode()


def test_mark_read_with_htmx_returns_the_item_and_the_new_count(ja_person, frozen_clock):
    first, second = NotificationFactory.create_batch(2, recipient=ja_person)

    response = htmx(signed_in(ja_person), reverse("notifications:mark_read", args=[first.pk]))

    html = response.content.decode()
    assert response.status_code == 200
    assert f'id="notification-{first.pk}" class="card inbox-item"' in html
    assert 'data-read="true"' in html
    assert 'id="inbox-unread-summary"' in html and 'hx-swap-oob="true"' in html
    assert "未読のお知らせが 1 件あります" in html
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.read_at == frozen_clock
    assert second.read_at is None


def test_mark_read_without_htmx_redirects_to_the_inbox(ja_person):
    notification = NotificationFactory(recipient=ja_person)

    response = signed_in(ja_person).post(reverse("notifications:mark_read", args=[notification.pk]))

    assert response.status_code == 302
    assert response["Location"] == INBOX
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_marking_read_again_keeps_the_first_time(ja_person, frozen_clock):
    notification = NotificationFactory(recipient=ja_person, read_at=frozen_clock)
    client = signed_in(ja_person)

    with clock.frozen(frozen_clock + dt.timedelta(days=1)):
        client.post(reverse("notifications:mark_read", args=[notification.pk]))

    notification.refresh_from_db()
    assert notification.read_at == frozen_clock


def test_another_persons_notification_is_404_and_stays_unread(ja_person):
    theirs = NotificationFactory(recipient=UserFactory())
    before = theirs.updated_at
    client = signed_in(ja_person)
    url = reverse("notifications:mark_read", args=[theirs.pk])

    assert client.post(url).status_code == 404
    assert htmx(client, url).status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None
    assert theirs.updated_at == before


def test_mark_read_needs_post_and_login(ja_person, client):
    notification = NotificationFactory(recipient=ja_person)
    url = reverse("notifications:mark_read", args=[notification.pk])

    assert signed_in(ja_person).get(url).status_code == 405
    assert client.post(url).status_code == 302  # to the login page
    notification.refresh_from_db()
    assert notification.read_at is None


def test_mark_all_read_marks_only_mine(ja_person, frozen_clock):
    mine = NotificationFactory.create_batch(3, recipient=ja_person)
    theirs = NotificationFactory(recipient=UserFactory())

    response = htmx(signed_in(ja_person), reverse("notifications:mark_all_read"), {"page": 1})

    assert response.status_code == 200
    assert "未読のお知らせはありません。" in response.content.decode()
    assert 'data-read="false"' not in response.content.decode()
    assert (
        Notification.objects.filter(pk__in=[n.pk for n in mine], read_at=frozen_clock).count() == 3
    )
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_mark_all_read_without_htmx_redirects(ja_person):
    NotificationFactory(recipient=ja_person)

    response = signed_in(ja_person).post(reverse("notifications:mark_all_read"))

    assert response.status_code == 302
    assert unread_count(ja_person) == 0


def test_mark_all_read_needs_login(client, ja_person):
    NotificationFactory(recipient=ja_person)

    assert client.post(reverse("notifications:mark_all_read")).status_code == 302
    assert unread_count(ja_person) == 1


@pytest.mark.parametrize("rows", [3, 60])
def test_inbox_query_count_is_pinned(ja_person, django_assert_num_queries, rows):
    NotificationFactory.create_batch(rows, recipient=ja_person)
    NotificationFactory.create_batch(5, recipient=UserFactory())
    client = signed_in(ja_person)

    # session, user, MFA role check, page count, page rows, unread count (page),
    # unread count (navigation badge)
    with django_assert_num_queries(7):
        assert client.get(INBOX).status_code == 200


def test_unread_count_is_one_query_and_none_for_anonymous(ja_person, django_assert_num_queries):
    from django.contrib.auth.models import AnonymousUser

    NotificationFactory.create_batch(2, recipient=ja_person)
    NotificationFactory(recipient=ja_person, read_at=clock.now())

    with django_assert_num_queries(1):
        assert unread_count(ja_person) == 2
    with django_assert_num_queries(0):
        assert unread_count(AnonymousUser()) == 0


def test_the_badge_context_processor_is_lazy(ja_person, rf, django_assert_num_queries):
    from akari.notifications.context_processors import unread_notifications

    NotificationFactory.create_batch(4, recipient=ja_person)
    request = rf.get("/")
    request.user = ja_person

    with django_assert_num_queries(0):
        context = unread_notifications(request)
    with django_assert_num_queries(1):
        assert str(context["unread_notifications_count"]) == "4"
        assert bool(context["unread_notifications_count"]) is True
