"""The admin shows every model of the app, read-only (content comes from the packs)."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.test import RequestFactory

from akari.policies.models import AccessRoute, FeeRule, PolicyVersion, Programme
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

MODELS = [Programme, PolicyVersion, AccessRoute, FeeRule]


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_every_model_is_in_the_admin_and_read_only(loaded, model):
    superuser = UserFactory(is_staff=True, is_superuser=True)
    request = RequestFactory().get("/admin/")
    request.user = superuser
    model_admin = admin.site._registry[model]

    assert model_admin.has_view_permission(request) is True
    assert model_admin.has_add_permission(request) is False
    assert model_admin.has_change_permission(request) is False
    assert model_admin.has_delete_permission(request) is False


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_every_admin_page_renders(client, loaded, model, monkeypatch):
    superuser = UserFactory(is_staff=True, is_superuser=True)
    monkeypatch.setattr("akari.accounts.middleware.must_enrol_mfa", lambda user: False)
    client.force_login(superuser)
    obj = model.objects.first()
    opts = model._meta

    listing = client.get(f"/admin/{opts.app_label}/{opts.model_name}/")
    page = client.get(f"/admin/{opts.app_label}/{opts.model_name}/{obj.pk}/change/")

    assert listing.status_code == 200
    assert page.status_code == 200
