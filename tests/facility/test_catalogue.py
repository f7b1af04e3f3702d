"""The public beamline catalogue: filters, htmx partials, detail pages, both languages."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from tests.facility.factories import grow_catalogue

pytestmark = pytest.mark.django_db

URL = "/beamlines/"


def codes(response) -> list[str]:
    return [beamline.code for beamline in response.context["beamlines"]]


def english() -> Client:
    return Client(headers={"accept-language": "en"})


def test_unfiltered_catalogue_lists_every_beamline_by_facility(client, catalogue):
    response = client.get(URL)

    assert response.status_code == 200
    assert codes(response) == ["BL02U", "BL07U", "BL01B1"]
    assert not response.context["form"].errors


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"facility": "spring8"}, ["BL01B1"]),
        ({"facility": "nanoterasu"}, ["BL02U", "BL07U"]),
        ({"technique": "rixs"}, ["BL02U"]),  # technique_en, any case
        ({"technique": "共鳴非弾性"}, ["BL02U"]),  # technique_ja
        ({"technique": "chemical state"}, ["BL07U"]),  # functions_en
        ({"technique": "局所構造"}, ["BL01B1"]),  # functions_ja
        ({"technique": "XAFS I"}, ["BL01B1"]),  # name
        ({"technique": "bl07"}, ["BL07U"]),  # code
        ({"technique": "soft x-ray"}, ["BL02U", "BL07U"]),
        ({"technique": "neutron"}, []),
        ({"policy_area": "materials"}, ["BL02U", "BL07U"]),
        ({"policy_area": "green_innovation"}, ["BL07U"]),
        ({"programme": "nt-shared"}, ["BL02U", "BL07U"]),
        ({"programme": "s8-general"}, ["BL01B1"]),
        ({"access_scheme": "coalition"}, ["BL07U"]),
        ({"access_scheme": "shared"}, ["BL02U", "BL01B1"]),
        ({"access_scheme": "contract"}, []),
    ],
)
def test_each_filter_narrows_the_list(client, catalogue, query, expected):
    response = client.get(URL, query)

    assert response.status_code == 200
    assert not response.context["form"].errors
    assert codes(response) == expected


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"facility": "nanoterasu", "access_scheme": "shared"}, ["BL02U"]),
        ({"policy_area": "materials", "access_scheme": "coalition"}, ["BL07U"]),
        ({"programme": "nt-shared", "technique": "RIXS"}, ["BL02U"]),
        ({"facility": "spring8", "policy_area": "materials"}, []),
        (
            {
                "facility": "nanoterasu",
                "technique": "state",
                "policy_area": "green_innovation",
                "programme": "nt-shared",
                "access_scheme": "coalition",
            },
            ["BL07U"],
        ),
    ],
)
def test_filters_combine(client, catalogue, query, expected):
    assert codes(client.get(URL, query)) == expected


def test_no_match_says_so(client, catalogue):
    response = english().get(URL, {"technique": "neutron"})

    assert "No beamline matches these filters." in response.content.decode()
    assert "0 beamlines" in response.content.decode()


def test_invalid_filter_value_is_reported_and_ignored(catalogue):
    response = english().get(URL, {"policy_area": "bogus"})

    assert response.status_code == 200
    assert codes(response) == ["BL02U", "BL07U", "BL01B1"]
    body = response.content.decode()
    assert "Some filters were not understood and have been ignored:" in body
    assert "Select a valid choice. bogus is not one of the available choices." in body


def test_invalid_filter_error_is_translated(client, catalogue):
    response = client.get(URL, {"access_scheme": "bogus"})

    assert response.status_code == 200
    body = response.content.decode()
    assert "正しく選択してください。 bogus は候補にありません。" in body
    assert "解釈できない絞り込み条件があったため、その条件を無視しました：" in body


def test_invalid_filter_does_not_drop_the_valid_ones(client, catalogue):
    response = client.get(URL, {"facility": "spring8", "programme": "nope", "technique": "x" * 101})

    assert codes(response) == ["BL01B1"]
    assert set(response.context["form"].errors) == {"programme", "technique"}


def test_page_shows_badges_tags_and_programmes(catalogue):
    body = english().get(URL).content.decode()

    assert '<span class="badge badge-coalition">Coalition</span>' in body
    assert '<span class="badge badge-shared">Shared use</span>' in body
    assert '<span class="badge badge-paused">Temporarily closed</span>' in body
    assert '<span class="badge">Materials innovation</span>' in body
    assert '<span class="badge">nt-shared programme</span>' in body
    assert 'href="/beamlines/nanoterasu/BL07U/"' in body


def test_full_page_form_is_wired_for_htmx(client, catalogue):
    body = client.get(URL).content.decode()

    assert 'hx-get="/beamlines/"' in body
    assert 'hx-target="#beamline-results"' in body
    assert 'hx-push-url="true"' in body
    assert 'id="beamline-results"' in body


def test_htmx_request_gets_only_the_results_partial(client, catalogue):
    response = client.get(URL, {"facility": "spring8"}, headers={"HX-Request": "true"})

    body = response.content.decode()
    assert {t.name for t in response.templates} == {
        "facility/_results.html",
        "facility/_access_badge.html",
    }
    assert "<html" not in body
    assert 'data-testid="beamline-BL01B1"' in body
    assert 'data-testid="beamline-BL02U"' not in body
    assert "HX-Request" in response["Vary"]


def test_htmx_history_restore_gets_the_full_page(client, catalogue):
    response = client.get(URL, headers={"HX-Request": "true", "HX-History-Restore-Request": "true"})

    assert "<html" in response.content.decode()


def test_catalogue_in_english(catalogue):
    body = english().get(URL).content.decode()

    assert '<html lang="en">' in body
    assert "Beamline catalogue" in body
    assert "Soft X-ray ultra-high-resolution RIXS" in body
    assert "NanoTerasu" in body
    assert "軟X線超高分解能共鳴非弾性散乱" not in body


def test_catalogue_in_japanese_by_default(client, catalogue):
    body = client.get(URL).content.decode()

    assert '<html lang="ja">' in body
    assert "ビームラインカタログ" in body
    assert "軟X線超高分解能共鳴非弾性散乱" in body
    assert "ナノテラス" in body
    assert "一時休止中" in body
    assert "Soft X-ray ultra-high-resolution RIXS" not in body


def test_language_cookie_switches_to_english(client, catalogue):
    client.cookies["akari_language"] = "en"

    assert "Beamline catalogue" in client.get(URL).content.decode()


def test_beamline_detail_shows_everything(catalogue):
    response = english().get(reverse("facility:beamline", args=["nanoterasu", "BL07U"]))

    assert response.status_code == 200
    body = response.content.decode()
    assert "BL07U Soft X-ray electronic state analysis" in body
    assert "A coalition beamline." in body
    assert "Chemical state, electronic state" in body
    assert "Safe food, water and air" in body
    assert "Nanoparticles" in body
    assert "XPS" in body
    assert "nt-shared programme" in body
    assert '<span class="badge badge-operating" data-testid="status">In operation</span>' in body


def test_beamline_detail_in_japanese(client, catalogue):
    body = client.get("/beamlines/nanoterasu/BL07U/").content.decode()

    assert "軟X線電子状態解析" in body
    assert "安全な食・水・大気" in body
    assert "コアリションビームライン。" in body
    assert "光電子分光装置" in body


def test_beamline_without_links_says_so(catalogue):
    body = english().get("/beamlines/spring8/BL01B1/").content.decode()

    assert "This beamline is not mapped to policy areas." in body
    assert "No end stations are listed for this beamline." in body


@pytest.mark.parametrize(
    "path",
    ["/beamlines/nanoterasu/BL99X/", "/beamlines/spring8/BL02U/", "/beamlines/nowhere/BL02U/"],
)
def test_unknown_beamline_is_404(client, catalogue, path):
    assert client.get(path).status_code == 404


# options: facilities, policy areas, programmes; then beamlines, their links, their programmes.
LIST_QUERIES = 6


@pytest.mark.parametrize("query", [{}, {"policy_area": "materials", "technique": "x"}])
def test_list_query_count_does_not_grow_with_the_catalogue(
    client, catalogue, django_assert_num_queries, query
):
    with django_assert_num_queries(LIST_QUERIES):
        client.get(URL, query)
    grow_catalogue(catalogue, 8)
    with django_assert_num_queries(LIST_QUERIES):
        response = client.get(URL, query)
    if not query:
        assert len(codes(response)) == 11


def test_detail_query_count(client, catalogue, django_assert_num_queries):
    grow_catalogue(catalogue, 3)
    # beamline with facility, policy-area links, programmes, end stations
    with django_assert_num_queries(4):
        client.get("/beamlines/nanoterasu/BL07U/")
