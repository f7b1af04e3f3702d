"""Every navigation entry resolves to a working page; the home page's queries are pinned."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import Client

from akari.accounts.roles import Role
from akari.core.navigation import NAV_ITEMS, items_for
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_anonymous_navigation_pages_all_answer(client):
    items = items_for(AnonymousUser(), "/")
    assert [str(i["label"]) for i in items] == [
        "ホーム",
        "ニュース",
        "イベント",
        "ビームライン",
        "ビームライン検索",
        "利用制度ガイド",
        "料金試算",
        "相談窓口",
        "課題公募",
        "成果",
        "API",
    ]
    for item in items:
        assert client.get(item["url"]).status_code == 200, item["url"]


def test_signed_in_navigation_adds_my_account(client):
    person = UserFactory(roles=[Role.APPLICANT])
    client.force_login(person)
    labels = [str(i["label"]) for i in items_for(person, "/")]
    assert "マイアカウント" in labels
    assert "お知らせ" in labels
    assert "管理画面" not in labels
    for item in items_for(person, "/"):
        assert client.get(item["url"]).status_code == 200, item["url"]


def test_every_nav_item_is_defined_once():
    names = [item.url_name for item in NAV_ITEMS]
    assert len(names) == len(set(names))


def test_home_query_count_is_pinned(django_assert_num_queries):
    # The public home (outreach): the latest news and the upcoming events, one query each.
    with django_assert_num_queries(2):
        assert Client().get("/").status_code == 200


def test_home_query_count_signed_in(django_assert_num_queries):
    person = UserFactory()
    client = Client()
    client.force_login(person)
    # session + user + MFA role check (groups) + unread notification count + news + events
    with django_assert_num_queries(6):
        assert client.get("/").status_code == 200


def test_health(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
