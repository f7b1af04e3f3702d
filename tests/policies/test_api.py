"""The read-only programmes API."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.validation import validate_schema

from akari.core import clock

pytestmark = pytest.mark.django_db

LIST = reverse("v1:programme-list")


def test_the_list_gives_every_programme_with_its_version_in_force(client, loaded):
    response = client.get(LIST)

    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 3
    assert [(p["code"], p["facility"], p["policy"]["version"]) for p in body["results"]] == [
        ("spring8", "spring8", "2026.1"),
        ("nanoterasu-shared", "nanoterasu", "2026.1"),
        ("nanoterasu-coalition", "nanoterasu", "2026.1"),
    ]
    assert body["results"][0]["name_en"] == "SPring-8 user programme"
    assert body["results"][0]["policy"]["effective_from"] == "2026-04-01"


def test_the_list_query_count_is_pinned(client, loaded, django_assert_num_queries):
    # count, programmes with facility, versions in force
    with django_assert_num_queries(3):
        assert client.get(LIST).status_code == 200


def test_the_detail_gives_routes_and_fees_in_force(client, loaded):
    response = client.get(reverse("v1:programme-detail", args=["spring8"]))

    assert response.status_code == 200
    body = response.json()
    policy = body["policy"]
    assert [r["code"] for r in policy["routes"]] == [
        "normal",
        "urgent",
        "graduate_student",
        "priority",
        "proprietary_normal",
        "time_designated",
        "measurement_service",
    ]
    fees = {f["code"]: f for f in policy["fees"]}
    assert fees["proprietary"]["amount"] == "480000"
    assert fees["proprietary"]["route"] == "proprietary_normal"
    assert fees["proprietary"]["tax_included"] is True
    assert fees["consumables"]["amount"] is None
    assert fees["consumables"]["unit"] == "at_cost"
    assert policy["document"]["obligations"]["experiment_report_months"] == 2
    assert len(body["beamlines"]) == 7


def test_the_coalition_detail_gives_the_rate_per_joining_year(client, loaded):
    body = client.get(reverse("v1:programme-detail", args=["nanoterasu-coalition"])).json()

    usage = [f for f in body["policy"]["fees"] if f["code"] == "usage"]
    assert [(f["amount"], f["joining_fiscal_year"]) for f in usage] == [("35000", 2022)]


def test_the_detail_query_count_is_pinned(client, loaded, django_assert_num_queries):
    url = reverse("v1:programme-detail", args=["spring8"])
    # programme+facility, versions, routes, fees+route, beamlines
    with django_assert_num_queries(5):
        assert client.get(url).status_code == 200


def test_a_programme_without_a_version_in_force_has_no_policy(client, loaded):
    with clock.frozen(dt.datetime(2026, 3, 1, 9, 0, tzinfo=clock.TOKYO)):
        body = client.get(reverse("v1:programme-detail", args=["spring8"])).json()

    assert body["policy"] is None


def test_an_unknown_programme_is_not_found(client, loaded):
    assert client.get(reverse("v1:programme-detail", args=["nope"])).status_code == 404


def test_the_programme_endpoints_have_a_valid_schema(db):
    schema = SchemaGenerator(api_version="v1").get_schema(request=None, public=True)

    validate_schema(schema)
    assert "/api/v1/programmes/" in schema["paths"]
    assert "/api/v1/programmes/{code}/" in schema["paths"]
    detail = schema["components"]["schemas"]["ProgrammeDetail"]
    assert detail["properties"]["policy"]["allOf"][0]["$ref"].endswith("PolicyVersionDetail")
