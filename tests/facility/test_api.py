"""The read-only beamline API: list with filters, detail, public access, schema."""

from __future__ import annotations

import pytest
from django.urls import reverse
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.validation import validate_schema

from tests.facility.factories import grow_catalogue

pytestmark = pytest.mark.django_db

LIST = "/api/v1/beamlines/"


def result_codes(response) -> list[str]:
    return [row["code"] for row in response.json()["results"]]


def test_url_names():
    assert reverse("v1:beamline-list") == LIST
    assert reverse("v1:beamline-detail", args=["spring8", "BL01B1"]) == (
        "/api/v1/beamlines/spring8/BL01B1/"
    )


def test_anyone_may_list_beamlines(client, catalogue):
    response = client.get(LIST)

    assert response.status_code == 200
    assert response.json()["count"] == 3
    assert result_codes(response) == ["BL02U", "BL07U", "BL01B1"]


def test_list_row_has_both_languages_and_links(client, catalogue):
    row = client.get(LIST, {"technique": "bl07"}).json()["results"][0]

    assert row == {
        "facility": {"code": "nanoterasu", "name_ja": "ナノテラス", "name_en": "NanoTerasu"},
        "code": "BL07U",
        "name_ja": "軟X線電子状態解析",
        "name_en": "Soft X-ray electronic state analysis",
        "technique_ja": "軟X線電子状態解析",
        "technique_en": "Soft X-ray electronic state analysis",
        "functions_ja": "化学状態、電子状態",
        "functions_en": "Chemical state, electronic state",
        "access_scheme": "coalition",
        "operator": "PhoSIC",
        "status": "operating",
        "policy_areas": [
            {
                "code": "materials",
                "name_ja": "マテリアル革新力",
                "name_en": "Materials innovation",
                "applications_ja": "ナノ粒子",
                "applications_en": "Nanoparticles",
            },
            {
                "code": "green_innovation",
                "name_ja": "グリーン",
                "name_en": "Green Innovation",
                "applications_ja": "安全な食・水・大気",
                "applications_en": "Safe food, water and air",
            },
        ],
        "programmes": [
            {"code": "nt-shared", "name_ja": "nt-shared利用", "name_en": "nt-shared programme"}
        ],
        "url": "http://testserver/api/v1/beamlines/nanoterasu/BL07U/",
    }


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"facility": "spring8"}, ["BL01B1"]),
        ({"technique": "RIXS"}, ["BL02U"]),
        ({"policy_area": "green_innovation"}, ["BL07U"]),
        ({"programme": "nt-shared"}, ["BL02U", "BL07U"]),
        ({"access_scheme": "shared"}, ["BL02U", "BL01B1"]),
        ({"facility": "nanoterasu", "access_scheme": "shared"}, ["BL02U"]),
        ({"facility": "spring8", "policy_area": "materials"}, []),
    ],
)
def test_list_filters(client, catalogue, query, expected):
    assert result_codes(client.get(LIST, query)) == expected


def test_invalid_filter_is_a_400_naming_the_parameter(client, catalogue):
    response = client.get(LIST, {"policy_area": "bogus"}, headers={"accept-language": "en"})

    assert response.status_code == 400
    [error] = response.json()["policy_area"]
    assert error["message"] == "Select a valid choice. bogus is not one of the available choices."


def test_detail_adds_description_and_end_stations(client, catalogue):
    response = client.get("/api/v1/beamlines/nanoterasu/BL07U/")

    assert response.status_code == 200
    data = response.json()
    assert data["description_en"] == "A coalition beamline."
    assert data["end_stations"] == [
        {
            "code": "XPS",
            "name_ja": "光電子分光装置",
            "name_en": "XPS",
            "description_ja": "",
            "description_en": "",
            "is_active": True,
        }
    ]
    assert [area["code"] for area in data["policy_areas"]] == ["materials", "green_innovation"]


@pytest.mark.parametrize(
    "path", ["/api/v1/beamlines/spring8/BL07U/", "/api/v1/beamlines/nanoterasu/BL99X/"]
)
def test_unknown_beamline_is_404(client, catalogue, path):
    assert client.get(path).status_code == 404


@pytest.mark.parametrize("path", [LIST, "/api/v1/beamlines/nanoterasu/BL07U/"])
def test_api_is_read_only(client, catalogue, path):
    assert client.post(path, {}, content_type="application/json").status_code == 405
    assert client.delete(path).status_code == 405


def test_list_query_count_does_not_grow(client, catalogue, django_assert_num_queries):
    # options (3), count, beamlines, policy-area links, programmes
    with django_assert_num_queries(7):
        client.get(LIST)
    grow_catalogue(catalogue, 8)
    with django_assert_num_queries(7):
        client.get(LIST)


def test_schema_documents_the_filters_and_validates():
    schema = SchemaGenerator(api_version="v1").get_schema(request=None, public=True)
    validate_schema(schema)

    listing = schema["paths"]["/api/v1/beamlines/"]["get"]
    assert {p["name"] for p in listing["parameters"]} >= {
        "facility",
        "technique",
        "policy_area",
        "programme",
        "access_scheme",
    }
    detail = schema["paths"]["/api/v1/beamlines/{facility}/{code}/"]["get"]
    assert {p["name"] for p in detail["parameters"]} == {"facility", "code"}
