"""The applicant and staff pages: what they show and what their forms do."""

from __future__ import annotations

import csv
import io
import re
import zlib

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from akari.core.models import AuditEvent
from akari.proposals.models import Proposal
from tests.factories import AffiliationFactory, OrganisationFactory, UserFactory
from tests.proposals.factories import CallFactory, ProposalFactory, submitted_proposal

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}
PDF = b"%PDF-1.4\n%%EOF\n"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path


def test_open_calls_are_listed_for_everyone(call, client):
    CallFactory(code="2027A", status="draft")

    page = client.get(reverse("proposals:calls"))

    assert page.status_code == 200
    assert re.findall(rb'data-call="([^"]+)"', page.content) == [b"2026B"]


def test_an_anonymous_visitor_is_asked_to_log_in_to_apply(call, client):
    page = client.get(reverse("proposals:call", args=[call.pk]))

    assert b'data-testid="start-form"' not in page.content
    assert reverse("account_login").encode() in page.content


def test_the_call_page_shows_the_policy_rules(nano_call, as_user):
    page = as_user(UserFactory()).get(reverse("proposals:call", args=[nano_call.pk]))

    text = page.content.decode()
    assert "Beamtime per beamline: 3 shifts or more, in multiples of 3." in text
    assert "At least 2 experimenters on the team." in text
    assert "they cannot be the principal investigator" in text


def test_autosave_saves_the_draft_and_answers_with_the_time(call, as_user):
    proposal = ProposalFactory(call=call)
    client = as_user(proposal.created_by)

    response = client.post(
        reverse("proposals:autosave", args=[proposal.pk]),
        {"route": proposal.route_id, "title": "途中まで書いた課題名", "keywords": "XAFS、触媒"},
        **HTMX,
    )

    assert response.status_code == 200
    assert b"Draft saved at 09:00:00" in response.content
    proposal.refresh_from_db()
    assert proposal.title == "途中まで書いた課題名"
    assert proposal.keywords == ["XAFS", "触媒"]
    assert proposal.abstract == ""  # the autosave saves the whole form as it is


def test_autosave_after_submission_is_refused_and_changes_nothing(call, as_user):
    proposal = submitted_proposal(call)
    client = as_user(proposal.created_by)

    response = client.post(
        reverse("proposals:autosave", args=[proposal.pk]),
        {"route": proposal.route_id, "title": "changed"},
        **HTMX,
    )

    assert response.status_code == 403
    proposal.refresh_from_db()
    assert proposal.title != "changed"


def test_the_full_save_uses_the_same_service(call, as_user):
    proposal = ProposalFactory(call=call)
    client = as_user(proposal.created_by)

    response = client.post(
        reverse("proposals:edit", args=[proposal.pk]),
        {"route": proposal.route_id, "title": "T", "hazards": ["toxic", "laser"], "submit": "1"},
    )

    assert response["Location"] == reverse("proposals:submit", args=[proposal.pk])
    proposal.refresh_from_db()
    assert (proposal.title, proposal.hazards) == ("T", ["toxic", "laser"])


def test_adding_an_unknown_person_shows_the_error_in_japanese(call, as_user):
    proposal = ProposalFactory(call=call, team=[])
    client = as_user(proposal.created_by, language="ja")

    response = client.post(
        reverse("proposals:team_add", args=[proposal.pk]),
        {"email": "nobody@example.org", "role": "co_investigator", "is_experimenter": "on"},
        **HTMX,
    )

    assert response.status_code == 200
    expected = "メールアドレスnobody@example.orgのAkariアカウントはありません"
    assert expected in response.content.decode()
    assert response.content.lstrip().startswith(b'<section class="card" id="team"')
    assert proposal.team.count() == 1


def test_sections_are_swapped_in_place(call, as_user):
    proposal = ProposalFactory(call=call, team=[], beamlines={})
    colleague = UserFactory()
    client = as_user(proposal.created_by)
    bl14 = call.offered_beamlines.get(beamline__code="BL14B2").beamline

    team = client.post(
        reverse("proposals:team_add", args=[proposal.pk]),
        {"email": colleague.email, "role": "student", "is_experimenter": "on"},
        **HTMX,
    )
    requests = client.post(
        reverse("proposals:request_add", args=[proposal.pk]),
        {"beamline": bl14.pk, "units": "4"},
        **HTMX,
    )
    attachments = client.post(
        reverse("proposals:attachment_add", args=[proposal.pk]),
        {"file": io.BytesIO(PDF)},
        **HTMX,
    )

    assert f'data-member="{colleague.email}"'.encode() in team.content
    assert b'data-request="BL14B2"' in requests.content
    assert b"data-attachment=" in attachments.content
    assert proposal.team.get(person=colleague).role == "student"
    assert proposal.attachments.count() == 1


def test_the_submit_page_lists_every_problem(call, as_user):
    proposal = ProposalFactory(call=call, title="", beamlines={})
    client = as_user(proposal.created_by)

    page = client.get(reverse("proposals:submit", args=[proposal.pk]))
    refused = client.post(reverse("proposals:submit", args=[proposal.pk]))

    for response in (page, refused):
        problems = response.content.split(b'data-testid="problems"')[1]
        items = re.findall(rb"<li>([^<]+)</li>", problems)
        assert items == [
            b"Give the proposal a title.",
            b"Request beamtime on at least one beamline.",
        ]
    assert refused.status_code == 400
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.DRAFT


def test_submitting_shows_under_review_in_japanese(call, as_user):
    proposal = ProposalFactory(call=call)
    client = as_user(proposal.created_by, language="ja")

    response = client.post(reverse("proposals:submit", args=[proposal.pk]), follow=True)

    text = response.content.decode()
    assert "課題を申請しました。" in text
    assert re.search(r'data-testid="status">審査中<', text)
    assert "2026B0001" in text


def test_a_co_investigator_cannot_submit(call, as_user):
    co = UserFactory()
    proposal = ProposalFactory(call=call, team=[co])

    response = as_user(co).post(reverse("proposals:submit", args=[proposal.pk]))

    assert response.status_code == 403
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.DRAFT


def test_the_pi_withdraws_with_a_reason(call, as_user):
    proposal = submitted_proposal(call)

    response = as_user(proposal.created_by).post(
        reverse("proposals:withdraw", args=[proposal.pk]), {"reason": "都合により"}
    )

    assert response["Location"] == reverse("proposals:detail", args=[proposal.pk])
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.WITHDRAWN


def test_copy_from_the_page(call, as_user):
    proposal = submitted_proposal(call)

    response = as_user(proposal.created_by).post(
        reverse("proposals:copy", args=[proposal.pk]), {"call": call.pk}
    )

    copy = Proposal.objects.get(copied_from=proposal)
    assert response["Location"] == reverse("proposals:edit", args=[copy.pk])


def test_applicants_never_see_internal_states(call, as_user):
    proposal = submitted_proposal(call)
    Proposal.objects.filter(pk=proposal.pk).update(status=Proposal.Status.PEER_REVIEW)
    client = as_user(proposal.created_by)

    detail = client.get(reverse("proposals:detail", args=[proposal.pk])).content.decode()
    mine = client.get(reverse("proposals:mine")).content.decode()

    for text in (detail, mine):
        assert 'data-testid="status">Under review<' in text
        assert "Peer review" not in text


def test_staff_filter_a_call_by_status_beamline_and_route(call, office, as_user):
    a = submitted_proposal(call, beamlines={"BL01B1": 3})
    b = submitted_proposal(call, beamlines={"BL14B2": 3}, route_code="priority")
    c = submitted_proposal(call, beamlines={"BL14B2": 3})
    Proposal.objects.filter(pk=c.pk).update(status=Proposal.Status.TECHNICAL_REVIEW)
    ProposalFactory(call=call)  # a draft: private to its team
    client = as_user(office)
    url = reverse("proposals:staff_call", args=[call.pk])

    def listed(**query: str) -> list[str]:
        page = client.get(url, query)
        return [n.decode() for n in re.findall(rb'data-proposal="([^"]+)"', page.content)]

    assert listed() == [a.number, b.number, c.number]
    assert listed(beamline="BL14B2") == [b.number, c.number]
    assert listed(route="priority") == [b.number]
    assert listed(status="technical_review") == [c.number]


def test_export_csv_and_excel(call, office, as_user):
    organisation = OrganisationFactory(name_en="Tohoku University", name_ja="東北大学")
    pi = UserFactory(family_name="Sato", given_name="Hana")
    AffiliationFactory(person=pi, organisation=organisation)
    proposal = submitted_proposal(
        call, pi=pi, beamlines={"BL01B1": 3, "BL14B2": 6}, title="放射光で見る触媒"
    )
    proposal.beamline_requests.filter(beamline__code="BL01B1").update(units_awarded=3)
    client = as_user(office)

    csv_response = client.get(reverse("proposals:staff_call_export", args=[call.pk, "csv"]))
    xlsx_response = client.get(reverse("proposals:staff_call_export", args=[call.pk, "xlsx"]))

    rows = list(csv.reader(io.StringIO(csv_response.content.decode("utf-8-sig"))))
    assert rows == [
        [
            "Proposal number",
            "Title",
            "Access route",
            "Principal investigator",
            "Organisation",
            "Research field",
            "Beamlines",
            "Beamtime requested",
            "Beamtime awarded",
            "Status",
        ],
        [
            "2026B0001",
            "放射光で見る触媒",
            "Normal proposal",
            "Hana Sato",
            "Tohoku University",
            "Materials science (structure)",
            "BL01B1:3 BL14B2:6",
            "9",
            "3",
            "Submitted",
        ],
    ]
    sheet = load_workbook(io.BytesIO(xlsx_response.content)).active
    assert [list(r) for r in sheet.iter_rows(values_only=True)] == [
        rows[0],
        [*rows[1][:7], 9, 3, "Submitted"],
    ]


def test_the_pdf_is_set_in_the_japanese_font(call, office, as_user):
    proposal = submitted_proposal(call, title="放射光で見る触媒の構造")

    response = as_user(office).get(reverse("proposals:pdf", args=[proposal.pk]))

    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    streams = b"".join(
        zlib.decompress(m.group(1))
        for m in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", response.content, re.S)
        if m.group(1)[:1] == b"x"
    )
    assert b"Noto-Sans-CJK-JP" in streams
    # The font's ToUnicode map covers the title's kanji (放 = U+653E, 触 = U+89E6).
    assert b"<653e>" in streams.lower() and b"<89e6>" in streams.lower()


def test_staff_views_of_proprietary_proposals_are_audited(call, office, as_user):
    proprietary = submitted_proposal(call, route_code="proprietary_normal")
    published = submitted_proposal(call)
    client = as_user(office)

    client.get(reverse("proposals:staff_proposal", args=[proprietary.pk]))
    client.get(reverse("proposals:pdf", args=[proprietary.pk]))
    client.get(reverse("proposals:staff_proposal", args=[published.pk]))
    as_user(proprietary.created_by).get(reverse("proposals:detail", args=[proprietary.pk]))

    views = AuditEvent.objects.filter(action="proposal.viewed")
    assert [(e.actor, e.object_id, e.detail) for e in views.order_by("pk")] == [
        (office, str(proprietary.pk), {"view": "page"}),
        (office, str(proprietary.pk), {"view": "pdf"}),
    ]


def test_the_user_office_keeps_research_fields_in_the_admin(packs, office, as_user):
    page = as_user(office).get(reverse("admin:proposals_researchfield_changelist"))

    assert page.status_code == 200
    assert b"materials_structure" in page.content


def test_navigation_reaches_the_proposal_pages(packs, office, as_user):
    applicant = UserFactory()

    for person, expected in ((applicant, False), (office, True)):
        page = as_user(person, language="ja").get(reverse("core:home")).content.decode()
        nav = page.split('class="main-nav"')[1].split("</nav>")[0]
        assert f'href="{reverse("proposals:calls")}"' in nav and "課題公募" in nav
        assert f'href="{reverse("proposals:mine")}"' in nav and "自分の課題" in nav
        assert (f'href="{reverse("proposals:staff_calls")}"' in nav) is expected


def test_the_edit_page_estimates_the_fee_of_the_proposals_route(call, as_user):
    proposal = ProposalFactory(call=call)
    client = as_user(proposal.created_by)

    page = client.get(reverse("proposals:edit", args=[proposal.pk]))

    assert page.status_code == 200
    route_key = f"{proposal.call.programme.code}:{proposal.route.code}"
    assert 'data-testid="proposal-fee-estimate"' in page.text
    assert f'name="route" value="{route_key}"' in page.text
    estimate = client.get(
        reverse("billing:estimate"), {"route": route_key, "hours": "8"}, HTTP_HX_REQUEST="true"
    )
    assert estimate.status_code == 200 and "<html" not in estimate.text
