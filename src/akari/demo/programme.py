"""The demo's user programme: open calls for 2027B at both facilities, a submitted and a
draft proposal, and the review set-up (beamline scientists, a panel, a reviewer profile).

Everything goes through the apps' own services, so the demo follows the policy packs exactly
(timeline pre-filled from the pack, numbering, receipts in each person's inbox).
"""

from __future__ import annotations

import datetime as dt

from akari.accounts.models import User
from akari.facility.models import Beamline
from akari.policies.models import Programme
from akari.proposals import services as proposal_services
from akari.proposals.models import Call, Proposal, ResearchField
from akari.reviews.models import BeamlineReviewer, Panel, ReviewerProfile

CALLS = [
    # programme, code, titles, beamlines offered (units in the programme's time unit)
    (
        "spring8",
        "2027B",
        ("2027B期 SPring-8 共用ビームライン利用研究課題", "SPring-8 2027B call for proposals"),
        {"BL01B1": 120, "BL14B2": 96, "BL46XU": 90},
    ),
    (
        "nanoterasu-shared",
        "NT2027B",
        ("2027B期 NanoTerasu 共用ビームライン課題募集", "NanoTerasu 2027B shared-use call"),
        {"BL02U": 267, "BL06U": 267, "BL13U": 267, "BL08U": 60},
    ),
]
PERIOD = (dt.date(2027, 10, 1), dt.date(2028, 3, 31))


def _call(
    staff: User, programme_code: str, code: str, titles: tuple[str, str], offer: dict
) -> Call:
    existing = Call.objects.filter(code=code).first()
    if existing is not None:
        return existing
    programme = Programme.objects.get(code=programme_code)
    beamlines = {
        Beamline.objects.get(facility=programme.facility, code=bl): units
        for bl, units in offer.items()
    }
    call = proposal_services.call_create(
        programme=programme,
        code=code,
        title_ja=titles[0],
        title_en=titles[1],
        period_start=PERIOD[0],
        period_end=PERIOD[1],
        beamlines=beamlines,
        actor=staff,
    )
    return proposal_services.call_open(call=call, actor=staff)


def _proposal(call: Call, pi: User, co: User, *, submit: bool, beamline: str, units: int) -> None:
    if Proposal.objects.filter(call=call, created_by=pi).exists():
        return
    route = call.routes.order_by("order").first()
    assert route is not None
    proposal = proposal_services.proposal_create(call=call, route=route, actor=pi)
    proposal_services.proposal_update(
        proposal=proposal,
        actor=pi,
        data={
            "title": "軟X線RIXSによる銅酸化物超伝導体の電荷秩序の研究",
            "abstract": "高分解能共鳴非弾性散乱により、電荷秩序とスピン励起の温度依存性を調べる。",
            "purpose": "超伝導発現機構の解明に向けて、電荷秩序の起源を明らかにする。",
            "field": ResearchField.objects.get(code="materials_electronic"),
            "keywords": ["RIXS", "超伝導", "charge order"],
            "samples": "単結晶試料（La2-xSrxCuO4）",
        },
    )
    proposal_services.team_member_add(proposal=proposal, actor=pi, email=co.email)
    proposal_services.beamline_request_save(
        proposal=proposal,
        actor=pi,
        beamline=Beamline.objects.get(facility=call.programme.facility, code=beamline),
        end_station=None,
        units=units,
    )
    if submit:
        proposal_services.proposal_submit(proposal=proposal, actor=pi)


def demo_programme(people: dict[str, User]) -> None:
    staff = people["office@demo.akari.example"]
    calls = {code: _call(staff, prog, code, titles, offer) for prog, code, titles, offer in CALLS}
    _proposal(
        calls["NT2027B"],
        people["applicant@demo.akari.example"],
        people["student@demo.akari.example"],
        submit=True,
        beamline="BL02U",
        units=6,
    )
    _proposal(
        calls["2027B"],
        people["overseas@demo.akari.example"],
        people["applicant@demo.akari.example"],
        submit=False,
        beamline="BL14B2",
        units=3,
    )
    scientist = people["scientist@demo.akari.example"]
    for beamline in Beamline.objects.filter(code__in=["BL02U", "BL06U", "BL13U", "BL08U"]):
        BeamlineReviewer.objects.get_or_create(beamline=beamline, person=scientist)
    reviewer = people["reviewer@demo.akari.example"]
    profile, _created = ReviewerProfile.objects.get_or_create(
        user=reviewer,
        defaults={"keywords_ja": ["超伝導", "分光"], "keywords_en": ["RIXS", "ARPES"]},
    )
    profile.research_fields.set(ResearchField.objects.filter(code__startswith="materials"))
    for call in calls.values():
        panel, _created = Panel.objects.get_or_create(
            call=call,
            name_en=f"{call.code} materials panel",
            defaults={"name_ja": f"{call.code} 物質科学分科会"},
        )
        panel.research_fields.set(ResearchField.objects.filter(code__startswith="materials"))
        panel.members.add(reviewer)
