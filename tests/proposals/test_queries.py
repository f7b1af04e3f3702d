"""List pages keep a fixed number of queries whatever the number of proposals."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import UserFactory
from tests.proposals.factories import CallFactory, bulk_proposals

pytestmark = pytest.mark.django_db


def queries(client, url: str) -> tuple[int, bytes]:  # type: ignore[no-untyped-def]
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured), response.content


def test_my_proposals_with_1000_rows(call, as_user, django_assert_num_queries):
    pi = UserFactory()
    client = as_user(pi)
    bulk_proposals(call, 3, person=pi)
    few, _ = queries(client, reverse("proposals:mine"))

    bulk_proposals(call, 997, person=pi)
    with django_assert_num_queries(few):
        response = client.get(reverse("proposals:mine"))

    assert len(re.findall(rb'data-proposal="', response.content)) == 1000
    assert few == 6


def test_staff_call_list_and_call_page_with_1000_proposals(call, office, as_user):
    client = as_user(office)
    bulk_proposals(call, 3)
    calls_few, _ = queries(client, reverse("proposals:staff_calls"))
    call_few, _ = queries(client, reverse("proposals:staff_call", args=[call.pk]))

    bulk_proposals(call, 997)
    CallFactory(code="2027A")
    calls_many, calls_page = queries(client, reverse("proposals:staff_calls"))
    call_many, call_page = queries(client, reverse("proposals:staff_call", args=[call.pk]))

    assert (calls_many, call_many) == (calls_few, call_few) == (7, 13)
    assert re.search(rb'data-call="2026B".*?data-testid="proposal-count">1000<', calls_page, re.S)
    assert len(re.findall(rb'data-proposal="', call_page)) == 1000


def test_open_calls_and_api_list(call, as_user, client):
    pi = UserFactory()
    api = as_user(pi)
    bulk_proposals(call, 3, person=pi)
    calls_few, _ = queries(client, reverse("proposals:calls"))
    api_few, _ = queries(api, reverse("v1:proposal-list"))

    bulk_proposals(call, 997, person=pi)
    for code in ("2027A", "2027B", "2027C"):
        CallFactory(code=code)

    assert queries(client, reverse("proposals:calls"))[0] == calls_few
    assert queries(api, reverse("v1:proposal-list"))[0] == api_few
