"""Demo data of scheduling: NanoTerasu's 2027A period with its operating calendar (start-up
days, user time, weekly machine study, fortnightly maintenance, a shutdown week in August),
coalition shares on two coalition beamlines (their booking windows), a shared-use call NT2027A
whose accepted proposals are scheduled by the solver and published.

Idempotent: the call, proposals and period are matched by code and PI; a published period is
left as it is. Everything goes through the apps' services (proposals, selection, scheduling).
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from akari.accounts.models import User
from akari.core import clock
from akari.core.workflow import transition
from akari.facility.models import Beamline, Facility
from akari.policies.models import Programme
from akari.proposals import services as proposal_services
from akari.proposals.models import Call, Proposal, ResearchField
from akari.scheduling import publishing, services
from akari.scheduling.grid import TOKYO
from akari.scheduling.models import BeamlinePlan, RunSegment, SchedulePeriod
from akari.selection import services as selection_services

PERIOD = (dt.date(2027, 4, 1), dt.date(2027, 9, 30))
CALL = "NT2027A"
SHUTDOWN = (dt.date(2027, 8, 9), dt.date(2027, 8, 16))  # a week, Monday to Monday
COALITION_SHARES = {"BL07U": 50, "BL08W": 50}
PROPOSALS = [
    # PI e-mail, co-investigator e-mail, beamline, shifts awarded, title
    (
        "applicant@demo.akari.example",
        "student@demo.akari.example",
        "BL02U",
        9,
        "軟X線RIXSによる層状ニッケル酸化物の電荷秩序",
    ),
    (
        "overseas@demo.akari.example",
        "applicant@demo.akari.example",
        "BL02U",
        12,
        "Orbital excitations in iridate thin films by RIXS",
    ),
    (
        "member-izumi@demo.akari.example",
        "applicant@demo.akari.example",
        "BL06U",
        6,
        "ナノARPESによるグラフェン積層構造のバンド分散",
    ),
    (
        "member-gold@demo.akari.example",
        "applicant@demo.akari.example",
        "BL06U",
        9,
        "スピン分解ARPESによるトポロジカル絶縁体表面状態の観測",
    ),
]


def _kind_of_shift(start: dt.datetime) -> str:
    day = start.date() if start.hour >= 9 else start.date() - dt.timedelta(days=1)
    offset = (day - PERIOD[0]).days
    if offset < 3:
        return RunSegment.Kind.STARTUP
    if SHUTDOWN[0] <= day < SHUTDOWN[1]:
        return RunSegment.Kind.SHUTDOWN
    if offset % 14 == 13:  # every other Wednesday
        return RunSegment.Kind.MAINTENANCE
    if day.weekday() == 1 and start.hour == 9:  # Tuesday day shift
        return RunSegment.Kind.MACHINE_STUDY
    return RunSegment.Kind.USER


def _calendar(period: SchedulePeriod) -> None:
    if period.segments.exists():
        return
    start = dt.datetime.combine(PERIOD[0], dt.time(9), TOKYO)
    end = dt.datetime.combine(PERIOD[1] + dt.timedelta(days=1), dt.time(9), TOKYO)
    runs: list[list] = []
    t = start
    while t < end:
        kind = _kind_of_shift(t)
        if runs and runs[-1][0] == kind:
            runs[-1][2] = t + dt.timedelta(hours=8)
        else:
            runs.append([kind, t, t + dt.timedelta(hours=8)])
        t += dt.timedelta(hours=8)
    RunSegment.objects.bulk_create(
        [RunSegment(period=period, kind=k, start=s, end=e) for k, s, e in runs]
    )


def _call(staff: User) -> Call:
    existing = Call.objects.filter(code=CALL).first()
    if existing is not None:
        return existing
    programme = Programme.objects.get(code="nanoterasu-shared")
    beamlines = {
        Beamline.objects.get(facility=programme.facility, code=code): 120
        for code in ("BL02U", "BL06U")
    }
    now = clock.now()
    call = proposal_services.call_create(
        programme=programme,
        code=CALL,
        title_ja="2027A期 NanoTerasu 共用ビームライン課題募集",
        title_en="NanoTerasu 2027A shared-use call",
        period_start=PERIOD[0],
        period_end=PERIOD[1],
        beamlines=beamlines,
        actor=staff,
        opens_at=now - dt.timedelta(days=1),
        closes_at=now + dt.timedelta(days=30),
    )
    return proposal_services.call_open(call=call, actor=staff)


def _submit(call: Call, people: dict[str, User], row: tuple) -> None:
    pi_email, co_email, code, _units, title = row
    pi = people[pi_email]
    if Proposal.objects.filter(call=call, created_by=pi).exists():
        return
    route = call.routes.order_by("order").first()
    assert route is not None
    proposal = proposal_services.proposal_create(call=call, route=route, actor=pi)
    proposal_services.proposal_update(
        proposal=proposal,
        actor=pi,
        data={
            "title": title,
            "abstract": "放射光分光により電子状態を調べる。",
            "purpose": "物性発現機構の解明。",
            "field": ResearchField.objects.get(code="materials_electronic"),
            "keywords": ["spectroscopy"],
            "samples": "単結晶試料",
        },
    )
    proposal_services.team_member_add(proposal=proposal, actor=pi, email=people[co_email].email)
    proposal_services.beamline_request_save(
        proposal=proposal,
        actor=pi,
        beamline=Beamline.objects.get(facility=call.programme.facility, code=code),
        end_station=None,
        units=_units,
    )
    proposal_services.proposal_submit(proposal=proposal, actor=pi)


def _decide(call: Call, staff: User, people: dict[str, User]) -> None:
    if call.status == Call.Status.OPEN:
        call = proposal_services.call_close(call=call, actor=staff)
    if call.status != Call.Status.CLOSED:
        return
    for pi_email, _co, code, units, _title in PROPOSALS:
        proposal = Proposal.objects.filter(call=call, created_by=people[pi_email]).first()
        if proposal is None:
            continue
        if proposal.status == Proposal.Status.TECHNICAL_REVIEW:
            proposal = transition(proposal, Proposal.Status.COMMITTEE, actor=staff)
        if proposal.status == Proposal.Status.COMMITTEE:
            beamline = Beamline.objects.get(facility=call.programme.facility, code=code)
            selection_services.decision_record(
                proposal=proposal, outcome="accepted", awarded={beamline: units}, actor=staff
            )
    selection_services.decisions_publish(call=call, actor=staff)


def demo_scheduling(people: dict[str, User]) -> None:
    """Idempotent; called by ``load_demo`` after the programme demo."""
    staff = people["office@demo.akari.example"]
    facility = Facility.objects.get(code="nanoterasu")
    period, _created = SchedulePeriod.objects.get_or_create(
        facility=facility, code="2027A", defaults={"start": PERIOD[0], "end": PERIOD[1]}
    )
    if period.status == SchedulePeriod.Status.PUBLISHED:
        return
    with transaction.atomic():
        _calendar(period)
        for code, share in COALITION_SHARES.items():
            beamline = Beamline.objects.filter(facility=facility, code=code).first()
            if beamline is not None:
                BeamlinePlan.objects.get_or_create(
                    period=period, beamline=beamline, defaults={"coalition_percent": share}
                )
        call = _call(staff)
        period.calls.add(call)
        for row in PROPOSALS:
            _submit(call, people, row)
        _decide(call, staff, people)
    if period.status in (SchedulePeriod.Status.DRAFT, SchedulePeriod.Status.DRAFT_READY):
        run = services.solve_request(period=period, actor=staff, time_limit=5, workers=1)
        services.solve_run(run=run)  # no-op when an immediate task backend already ran it
    period.refresh_from_db()
    if period.status == SchedulePeriod.Status.DRAFT_READY:
        publishing.period_publish(period=period, actor=staff)
