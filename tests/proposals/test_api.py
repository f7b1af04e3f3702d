"""The API: calls for everyone, a person's own proposals from draft to submission."""

from __future__ import annotations

import pytest
from django.urls import reverse

from akari.proposals.models import Proposal
from tests.factories import UserFactory
from tests.proposals.factories import CallFactory

pytestmark = pytest.mark.django_db


def test_calls_are_public_except_those_in_preparation(call, client, office, as_user):
    hidden = CallFactory(code="2027A", status="draft")

    listed = client.get(reverse("v1:call-list")).json()["results"]
    detail = client.get(reverse("v1:call-detail", args=[call.pk])).json()

    assert [c["code"] for c in listed] == ["2026B"]
    assert client.get(reverse("v1:call-detail", args=[hidden.pk])).status_code == 404
    assert detail["beamlines"] == [
        {"beamline": "BL01B1", "units_available": 60},
        {"beamline": "BL14B2", "units_available": 45},
        {"beamline": "BL40XU", "units_available": 30},
    ]
    assert sorted(detail["routes"]) == [
        "graduate_student",
        "normal",
        "priority",
        "proprietary_normal",
    ]
    assert detail["closes_at"] == "2026-04-17T17:00:00+09:00"
    staff = as_user(office).get(reverse("v1:call-list"), {"status": "draft"}).json()
    assert [c["code"] for c in staff["results"]] == ["2027A"]


def test_a_proposal_from_draft_to_submission(nano_call, as_user):
    pi, co = UserFactory(), UserFactory()
    api = as_user(pi)

    created = api.post(
        reverse("v1:proposal-list"), {"call": nano_call.pk, "route": "general"}, "application/json"
    )
    assert created.status_code == 201
    pk = created.json()["id"]
    assert created.json()["status"] == "draft"

    refused = api.post(reverse("v1:proposal-submit", args=[pk]))
    assert refused.status_code == 400
    assert refused.json()["problems"] == [
        "Give the proposal a title.",
        "Write an abstract.",
        "Describe the purpose and expected results.",
        "Choose a research field.",
        "Describe the samples.",
        "Request beamtime on at least one beamline.",
        "At least 2 experimenters must take part (the team has 1).",
    ]

    patched = api.patch(
        reverse("v1:proposal-detail", args=[pk]),
        {
            "title": "軟X線で見る磁性薄膜",
            "abstract": "概要",
            "purpose": "目的",
            "field": "materials_electronic",
            "samples": "薄膜試料",
            "keywords": ["XMCD"],
            "hazards": ["nanomaterial"],
        },
        "application/json",
    )
    assert patched.status_code == 200
    assert patched.json()["title"] == "軟X線で見る磁性薄膜"

    bad_units = api.post(
        reverse("v1:proposal-requests", args=[pk]),
        {"beamline": "BL13U", "units": 4},
        "application/json",
    )
    assert bad_units.status_code == 400
    assert bad_units.json() == {
        "units": ["BL13U: request 3 shifts or more, in multiples of 3 (you asked for 4 shifts)."]
    }
    assert (
        api.post(
            reverse("v1:proposal-requests", args=[pk]),
            {"beamline": "BL13U", "units": 6},
            "application/json",
        ).status_code
        == 201
    )

    unknown = api.post(
        reverse("v1:proposal-team", args=[pk]), {"email": "nobody@example.org"}, "application/json"
    )
    assert unknown.status_code == 400
    team = api.post(reverse("v1:proposal-team", args=[pk]), {"email": co.email}, "application/json")
    assert [m["role"] for m in team.json()["team"]] == ["co_investigator", "pi"]

    submitted = api.post(reverse("v1:proposal-submit", args=[pk]))
    assert submitted.status_code == 200
    assert (submitted.json()["number"], submitted.json()["status"]) == (
        "NT2026B0001",
        "under_review",
    )
    assert Proposal.objects.get(pk=pk).status == Proposal.Status.SUBMITTED


def test_a_draft_cannot_start_with_a_route_the_call_does_not_accept(call, as_user):
    response = as_user(UserFactory()).post(
        reverse("v1:proposal-list"), {"call": call.pk, "route": "urgent"}, "application/json"
    )

    assert response.status_code == 400
    assert response.json() == {"route": ["This call does not accept that route."]}
    assert not Proposal.objects.exists()


def test_the_schema_documents_the_endpoints(client):
    schema = client.get(reverse("v1:schema")).content.decode()

    for path in (
        "/api/v1/calls/",
        "/api/v1/calls/{id}/",
        "/api/v1/proposals/",
        "/api/v1/proposals/{id}/",
        "/api/v1/proposals/{id}/submit/",
    ):
        assert f"{path}:" in schema
