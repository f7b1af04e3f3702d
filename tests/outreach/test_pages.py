"""The public pages render in Japanese and English; drafts stay hidden; queries are pinned."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from akari.core import clock
from akari.outreach.models import Registration
from tests.factories import UserFactory
from tests.outreach.factories import at, catalogue, event, news_item, staff

pytestmark = pytest.mark.django_db


def client_in(language: str, user=None) -> Client:  # type: ignore[no-untyped-def]
    client = Client(headers={"accept-language": language})
    client.cookies["django_language"] = language
    if user is not None:
        user.preferred_language = language  # a signed-in person's own language wins
        user.save(update_fields=["preferred_language"])
        client.force_login(user)
    return client


@pytest.fixture
def site(now):  # type: ignore[no-untyped-def]
    catalogue()
    with clock.frozen(at(2026, 11, 20)):
        item = news_item(audience_codes=("users", "public"))
    ev = event(audience_codes=("users",))
    return item, ev


PUBLIC_PAGES = [
    ("/", {"ja": "ニュース", "en": "News"}),
    ("/news/", {"ja": "ビームタイム公募開始", "en": "Call for proposals opens"}),
    ("/events/", {"ja": "XAFS講習会", "en": "XAFS workshop"}),
    ("/audiences/users/", {"ja": "利用者・利用を検討中の方", "en": "Users and prospective users"}),
    ("/audiences/public/", {"ja": "放射光とは何か", "en": "What a synchrotron is"}),
    ("/audiences/policy/", {"ja": "感染症対策", "en": "Infection control"}),
    ("/finder/?q=battery", {"ja": "BL09U", "en": "BL09U"}),
    ("/explore/beamlines/", {"ja": "Liイオン電池", "en": "Li-ion batteries"}),
]


@pytest.mark.parametrize("language", ["ja", "en"])
@pytest.mark.parametrize(("url", "expected"), PUBLIC_PAGES)
def test_public_pages_render_in_both_languages(site, language, url, expected):
    response = client_in(language).get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<html lang="{language}">' in html
    assert expected[language] in html


@pytest.mark.parametrize("language", ["ja", "en"])
def test_news_and_event_pages_render_in_both_languages(site, language):
    item, ev = site
    titles = {
        "ja": ("ビームタイム公募開始", "XAFS講習会"),
        "en": ("Call for proposals opens", "XAFS workshop"),
    }
    client = client_in(language)
    assert titles[language][0] in client.get(item.get_absolute_url()).content.decode()
    assert titles[language][1] in client.get(ev.get_absolute_url()).content.decode()


def test_home_lists_news_and_events_and_keeps_the_start_here_content(site):
    html = client_in("en").get("/").content.decode()
    assert "Call for proposals opens" in html and "XAFS workshop" in html
    assert "Browse the beamlines" in html  # core's "start here" content is kept
    for slug in ("public", "users", "policy", "overseas"):
        assert reverse("outreach:audience", args=[slug]) in html


def test_news_body_is_plain_text_with_links_and_no_html(now):
    with clock.frozen(at(2026, 11, 20)):
        item = news_item(body_en='First.\n\n<script>alert("x")</script> https://example.org/a')
    html = client_in("en").get(item.get_absolute_url()).content.decode()
    assert "<script>alert" not in html
    assert "&lt;script&gt;" in html
    assert '<a href="https://example.org/a"' in html
    assert "<p>First.</p>" in html


def test_drafts_and_future_news_do_not_exist_for_the_public(now):
    draft = news_item(publish=False)
    scheduled = news_item(publish_at=at(2026, 12, 24))
    draft_event = event(publish=False)
    anonymous, person = Client(), client_in("ja", UserFactory())
    for client in (anonymous, person):
        assert client.get(draft.get_absolute_url()).status_code == 404
        assert client.get(scheduled.get_absolute_url()).status_code == 404
        assert client.get(draft_event.get_absolute_url()).status_code == 404
        assert "ビームタイム公募開始" not in client.get("/news/").content.decode()
    with clock.frozen(at(2026, 12, 24, 0, 1)):
        assert anonymous.get(scheduled.get_absolute_url()).status_code == 200


def test_staff_preview_a_draft_with_both_languages(now):
    editor = staff()
    draft = news_item(publish=False, actor=editor)
    client = client_in("ja", editor)
    preview = client.get(reverse("outreach:staff-news-preview", args=[draft.pk]))
    assert preview.status_code == 200
    html = preview.content.decode()
    assert "ビームタイム公募開始" in html and "Call for proposals opens" in html
    page = client.get(draft.get_absolute_url()).content.decode()
    assert 'data-testid="preview-banner"' in page


def test_unknown_audience_is_404(now):
    assert Client().get("/audiences/nobody/").status_code == 404


def test_list_pages_pin_their_queries(site, django_assert_max_num_queries):
    for n in range(5):
        event(title_en=f"Event {n}", audience_codes=("users", "public"))
    client = Client()
    with django_assert_max_num_queries(2):
        assert client.get("/").status_code == 200
    with django_assert_max_num_queries(2):
        assert client.get("/news/").status_code == 200
    with django_assert_max_num_queries(2):
        assert client.get("/events/").status_code == 200
    with django_assert_max_num_queries(2):
        assert client.get("/audiences/users/").status_code == 200
    with django_assert_max_num_queries(6):
        assert client.get("/audiences/policy/").status_code == 200
    with django_assert_max_num_queries(7):
        assert client.get("/explore/beamlines/").status_code == 200


def test_register_from_the_event_page_and_cancel(now):
    ev = event(capacity=1)
    person = UserFactory()
    client = client_in("en", person)
    page = client.get(ev.get_absolute_url()).content.decode()
    assert 'data-testid="register"' in page
    client.post(reverse("outreach:event-register", args=[ev.pk]))
    registration = Registration.objects.get(person=person)
    page = client.get(ev.get_absolute_url()).content.decode()
    assert "You are registered (seat 1)." in page
    client.post(reverse("outreach:registration-cancel", args=[registration.pk]))
    registration.refresh_from_db()
    assert registration.status == Registration.Status.CANCELLED


def test_anonymous_visitors_are_asked_to_log_in_and_cannot_register(now):
    ev = event(capacity=1)
    client = Client()
    assert 'data-testid="login-to-register"' in client.get(ev.get_absolute_url()).content.decode()
    response = client.post(reverse("outreach:event-register", args=[ev.pk]))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert not Registration.objects.exists()


def test_nobody_cancels_another_persons_registration(now):
    ev = event(capacity=1)
    owner = UserFactory()
    client_in("en", owner).post(reverse("outreach:event-register", args=[ev.pk]))
    registration = Registration.objects.get()
    other = client_in("en", UserFactory())
    response = other.post(reverse("outreach:registration-cancel", args=[registration.pk]))
    assert response.status_code == 404
    registration.refresh_from_db()
    assert registration.status == Registration.Status.REGISTERED


def test_the_online_address_is_for_seat_holders_only(now):
    ev = event(
        capacity=1,
        mode="online",
        online_url="https://meet.example.org/xafs",
        venue_ja="",
        venue_en="",
    )
    holder, waiting = UserFactory(), UserFactory()
    client_in("en", holder).post(reverse("outreach:event-register", args=[ev.pk]))
    client_in("en", waiting).post(reverse("outreach:event-register", args=[ev.pk]))
    assert "meet.example.org" in client_in("en", holder).get(ev.get_absolute_url()).content.decode()
    assert (
        "meet.example.org"
        not in client_in("en", waiting).get(ev.get_absolute_url()).content.decode()
    )
    assert "meet.example.org" not in Client().get(ev.get_absolute_url()).content.decode()


STAFF_URLS = [
    "outreach:staff-news",
    "outreach:staff-news-new",
    "outreach:staff-events",
    "outreach:staff-event-new",
]


@pytest.mark.parametrize("name", STAFF_URLS)
def test_staff_pages_are_for_content_staff_only(now, name):
    url = reverse(name)
    assert client_in("en", staff()).get(url).status_code == 200
    assert client_in("en", UserFactory()).get(url).status_code == 404
    assert Client().get(url).status_code == 302


def test_staff_write_and_publish_news_through_the_pages(now):
    from akari.outreach.models import NewsItem
    from tests.outreach.factories import audiences, facility

    editor = staff()
    client = client_in("en", editor)
    found = audiences()
    response = client.post(
        reverse("outreach:staff-news-new"),
        {
            "facility": facility().pk,
            "title_ja": "見学会のお知らせ",
            "title_en": "Open day",
            "body_ja": "見学会を開催します。",
            "body_en": "We open our doors.",
            "audiences": [found["public"].pk],
            "publish_at": "",
        },
    )
    item = NewsItem.objects.get()
    assert response.status_code == 302 and item.status == NewsItem.Status.DRAFT
    assert Client().get(item.get_absolute_url()).status_code == 404
    client.post(reverse("outreach:staff-news-action", args=[item.pk, "publish"]))
    item.refresh_from_db()
    assert item.status == NewsItem.Status.PUBLISHED and item.publish_at == clock.now()
    assert "Open day" in client_in("en").get("/audiences/public/").content.decode()
    client.post(reverse("outreach:staff-news-action", args=[item.pk, "unpublish"]))
    assert Client().get(item.get_absolute_url()).status_code == 404


def test_a_non_staff_person_cannot_publish(now):
    from akari.outreach.models import NewsItem

    draft = news_item(publish=False)
    response = client_in("en", UserFactory()).post(
        reverse("outreach:staff-news-action", args=[draft.pk, "publish"])
    )
    assert response.status_code == 404
    draft.refresh_from_db()
    assert draft.status == NewsItem.Status.DRAFT


def test_staff_create_an_event_through_the_page(now):
    from akari.outreach.models import Event
    from tests.outreach.factories import facility

    client = client_in("en", staff())
    response = client.post(
        reverse("outreach:staff-event-new"),
        {
            "facility": facility().pk,
            "kind": "tour",
            "mode": "on_site",
            "title_ja": "施設見学会",
            "title_en": "Facility tour",
            "starts_at": "2026-12-20T10:00",
            "ends_at": "2026-12-20T12:00",
            "venue_ja": "正面玄関",
            "venue_en": "Main entrance",
            "capacity": "20",
            "registration_opens_at": "2026-12-01T00:00",
            "registration_closes_at": "2026-12-19T17:00",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    created = Event.objects.get()
    assert created.status == Event.Status.DRAFT
    assert created.starts_at == at(2026, 12, 20, 10)


def test_public_api_lists_published_news_upcoming_events_and_finds_beamlines(site, client):
    news_item(publish=False, title_en="Secret draft")
    news = client.get("/api/v1/news/").json()
    assert [n["title_en"] for n in news] == ["Call for proposals opens"]
    assert sorted(news[0]["audiences"]) == ["public", "users"]
    events = client.get("/api/v1/events/").json()
    assert [(e["title_en"], e["seats_taken"], e["audiences"]) for e in events] == [
        ("XAFS workshop", 0, ["users"])
    ]
    found = client.get("/api/v1/finder/", {"q": "電池"}).json()
    assert found[0]["code"] == "BL09U" and found[0]["reasons"]


def test_audience_pages_link_to_the_results_when_the_outcomes_app_has_them(site):
    from django.urls import NoReverseMatch

    try:
        url = reverse("outcomes:publications")
    except NoReverseMatch:
        pytest.skip("the outcomes app has no publication list")
    assert f'href="{url}"' in client_in("en").get("/audiences/policy/").content.decode()
