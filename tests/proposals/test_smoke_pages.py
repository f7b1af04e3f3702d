from __future__ import annotations

import pytest
from django.urls import reverse

from tests.proposals.factories import submitted_proposal

pytestmark = pytest.mark.django_db


def test_pages_render(call, people, as_user):
    proposal = submitted_proposal(call, pi=people.pi, team=[people.co])
    pi = as_user(people.pi)
    office = as_user(people.office)
    for url in [
        reverse("proposals:calls"),
        reverse("proposals:call", args=[call.pk]),
        reverse("proposals:mine"),
        reverse("proposals:detail", args=[proposal.pk]),
        reverse("proposals:copy", args=[proposal.pk]),
        reverse("proposals:withdraw", args=[proposal.pk]),
    ]:
        response = pi.get(url)
        assert response.status_code == 200, (url, response.content[:3000])
    for url in [
        reverse("proposals:staff_calls"),
        reverse("proposals:staff_call", args=[call.pk]),
        reverse("proposals:staff_call_edit", args=[call.pk]),
        reverse("proposals:staff_call_create", args=["spring8"]),
        reverse("proposals:staff_proposal", args=[proposal.pk]),
        reverse("proposals:staff_call_export", args=[call.pk, "csv"]),
        reverse("proposals:staff_call_export", args=[call.pk, "xlsx"]),
        reverse("proposals:pdf", args=[proposal.pk]),
    ]:
        response = office.get(url)
        assert response.status_code == 200, (url, response.content[:3000])
    response = pi.post(
        reverse("proposals:start", args=[call.pk]), {"route": call.routes.first().pk}
    )
    assert response.status_code == 302
    edit = response["Location"]
    assert pi.get(edit).status_code == 200
    assert pi.get(edit.replace("edit/", "submit/")).status_code == 200
