"""The OpenAPI schema is valid; session and token authentication both work."""

import pytest
from django.urls import reverse
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.validation import validate_schema
from rest_framework.test import APIClient

from akari.accounts.services import api_token_regenerate
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_openapi_schema_is_valid_and_lists_the_v1_endpoints():
    schema = SchemaGenerator(api_version="v1").get_schema(request=None, public=True)
    validate_schema(schema)  # raises on an invalid OpenAPI 3 document
    paths = set(schema["paths"])
    assert "/api/v1/me/" in paths
    assert any(p.startswith("/api/v1/beamlines/") for p in paths)
    assert any(p.startswith("/api/v1/programmes/") for p in paths)


def test_schema_and_docs_are_served(client):
    schema = client.get("/api/v1/schema/")
    assert schema.status_code == 200
    assert b"openapi: 3" in schema.content
    docs = client.get(reverse("api-docs"))
    assert docs.status_code == 200
    assert b"swagger-ui" in docs.content.lower()


def test_me_needs_authentication():
    assert APIClient().get("/api/v1/me/").status_code in (401, 403)


def test_me_with_token():
    person = UserFactory(email="token.user@example.org")
    key = api_token_regenerate(user=person)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    response = api.get("/api/v1/me/")
    assert response.status_code == 200
    assert response.json()["email"] == "token.user@example.org"


def test_regenerating_a_token_revokes_the_old_one():
    person = UserFactory()
    old = api_token_regenerate(user=person)
    new = api_token_regenerate(user=person)
    assert old != new
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {old}")
    assert api.get("/api/v1/me/").status_code == 401


def test_me_with_session(client):
    person = UserFactory()
    client.force_login(person)
    response = client.get("/api/v1/me/")
    assert response.status_code == 200
    assert response.json()["id"] == person.pk


def test_token_is_issued_from_the_profile_page(client):
    person = UserFactory()
    client.force_login(person)
    response = client.post(reverse("accounts:api_token"))
    assert response.status_code == 302
    page = client.get(reverse("accounts:profile"))
    assert page.context["api_token"]
