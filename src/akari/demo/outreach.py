"""Demo data of the public site: news for the four audiences (and one draft), upcoming events
(one of them full, with a waitlist), and a past safety lecture whose attendance gave the
applicant a training record. Written through the services; idempotent (rows are found again
by their English title). Dates are relative to the day the demo is loaded."""

from __future__ import annotations

import datetime as dt
from typing import Any

from akari.accounts.models import User
from akari.core import clock
from akari.facility.models import Facility
from akari.outreach import news, services
from akari.outreach.models import Audience, Event, NewsItem

OFFICE = "office@demo.akari.example"

NEWS: list[dict[str, Any]] = [
    {
        "title_ja": "2027A期 共用ビームライン課題の公募を開始しました",
        "title_en": "The 2027A call for shared-use proposals is open",
        "body_ja": (
            "NanoTerasu共用ビームライン（BL02U、BL06U、BL13U）とコアリションビームラインの共用枠に"
            "ついて、2027A期の利用課題を募集します。\n\n"
            "初めての方は、申請前にユーザーオフィスの事前相談をご利用ください。"
        ),
        "body_en": (
            "Proposals for the 2027A period are invited for the NanoTerasu shared-use beamlines "
            "(BL02U, BL06U, BL13U) and the shared-use time of the coalition beamlines.\n\n"
            "First-time users are welcome to consult the user office before applying."
        ),
        "audiences": ["users", "overseas"],
        "days_ago": 3,
    },
    {
        "title_ja": "電池の劣化をオペランド計測で捉える：BL09Uの成果",
        "title_en": "Catching battery degradation in the act: results from BL09U",
        "body_ja": (
            "充放電中のLiイオン電池の電子状態変化を、X線オペランド分光で追跡することに成功しました。"
        ),
        "body_en": (
            "Operando X-ray spectroscopy followed the electronic state of a Li-ion battery while "
            "it was charged and discharged."
        ),
        "audiences": ["public", "policy", "users"],
        "days_ago": 10,
    },
    {
        "title_ja": "施設見学会の申込を受け付けています",
        "title_en": "Facility tours: registration is open",
        "body_ja": (
            "学生・一般の方向けの施設見学会を開催します。イベントのページからお申し込みください。"
        ),
        "body_en": "Tours for students and the public: register on the events page.",
        "audiences": ["public"],
        "days_ago": 14,
    },
    {
        "title_ja": "コアリション成果報告会を開催します",
        "title_en": "Coalition results symposium",
        "body_ja": "コアリション加入企業の成果と、政策目標への貢献を報告します。",
        "body_en": "Member companies report their results and the contribution to policy goals.",
        "audiences": ["policy"],
        "days_ago": 20,
    },
]

DRAFT: dict[str, Any] = {
    "title_ja": "年末年始の運転停止について（下書き）",
    "title_en": "Shutdown over the New Year holidays (draft)",
    "body_ja": "年末年始は加速器の運転を停止します。",
    "body_en": "The accelerator is shut down over the New Year holidays.",
}


def _audiences(codes: list[str]) -> list[Audience]:
    return list(Audience.objects.filter(code__in=codes))


def _news(office: User, nanoterasu: Facility) -> None:
    now = clock.now()
    for row in NEWS:
        if NewsItem.objects.filter(title_en=row["title_en"]).exists():
            continue
        item = news.news_create(
            actor=office,
            audiences=_audiences(row["audiences"]),
            facility=nanoterasu,
            title_ja=row["title_ja"],
            title_en=row["title_en"],
            body_ja=row["body_ja"],
            body_en=row["body_en"],
            publish_at=now - dt.timedelta(days=row["days_ago"]),
        )
        news.news_publish(item=item, actor=office)
    if not NewsItem.objects.filter(title_en=DRAFT["title_en"]).exists():
        news.news_create(actor=office, facility=nanoterasu, publish_at=None, **DRAFT)


def _day(days: int, hour: int) -> dt.datetime:
    day = clock.today() + dt.timedelta(days=days)
    return dt.datetime.combine(day, dt.time(hour), tzinfo=clock.TOKYO)


def _event(office: User, facility: Facility, **values: Any) -> Event | None:
    """Create and publish an event unless one with that English title exists."""
    if Event.objects.filter(title_en=values["title_en"]).exists():
        return None
    audience_codes = values.pop("audiences", [])
    starts = values["starts_at"]
    defaults: dict[str, Any] = {
        "facility": facility,
        "description_ja": "",
        "description_en": "",
        "ends_at": starts + dt.timedelta(hours=3),
        "venue_ja": "",
        "venue_en": "",
        "online_url": "",
        "registration_opens_at": starts - dt.timedelta(days=60),
        "registration_closes_at": starts - dt.timedelta(days=1),
        "training_code": "",
        "training_valid_days": None,
    }
    event = services.event_create(
        actor=office, audiences=_audiences(audience_codes), **{**defaults, **values}
    )
    return services.event_publish(event=event, actor=office)


def _register(event: Event | None, people: list[User | None]) -> None:
    if event is None:
        return
    for person in people:
        if person is not None:
            services.registration_create(event=event, person=person, actor=person)


def demo_outreach(people: dict[str, User]) -> None:
    """Idempotent; called by ``load_demo`` after the support services demo."""
    office = people.get(OFFICE)
    nanoterasu = Facility.objects.filter(code="nanoterasu").first()
    if office is None or nanoterasu is None:
        return
    applicant = people.get("applicant@demo.akari.example")
    student = people.get("student@demo.akari.example")
    overseas = people.get("overseas@demo.akari.example")
    gold = people.get("member-gold@demo.akari.example")
    _news(office, nanoterasu)

    venue = {"venue_ja": "NanoTerasu 講義室", "venue_en": "NanoTerasu lecture room"}
    safety = _event(
        office,
        nanoterasu,
        kind=Event.Kind.BRIEFING,
        mode=Event.Mode.ON_SITE,
        title_ja="放射線安全講習会",
        title_en="Radiation safety lecture",
        description_ja="ビームライン利用前に受講が必要な安全講習です（有効期間1年）。",
        description_en="The safety lecture every user attends before beamtime (valid one year).",
        starts_at=_day(14, 10),
        capacity=30,
        training_code="safety-lecture",
        training_valid_days=365,
        audiences=["users", "overseas"],
        **venue,
    )
    _register(safety, [applicant, student])
    tour = _event(
        office,
        nanoterasu,
        kind=Event.Kind.TOUR,
        mode=Event.Mode.ON_SITE,
        title_ja="NanoTerasu 施設見学会",
        title_en="NanoTerasu facility tour",
        description_ja="蓄積リングと実験ホールを見学します。",
        description_en="A walk around the storage ring and the experimental hall.",
        starts_at=_day(21, 13),
        capacity=2,
        audiences=["public"],
        venue_ja="NanoTerasu 正面玄関",
        venue_en="NanoTerasu main entrance",
    )
    _register(tour, [applicant, gold, student])  # the student lands on the waitlist
    _register(
        _event(
            office,
            nanoterasu,
            kind=Event.Kind.SCHOOL,
            mode=Event.Mode.ONLINE,
            title_ja="軟X線分光 オンラインスクール",
            title_en="Soft X-ray spectroscopy online school",
            starts_at=_day(30, 9),
            capacity=100,
            online_url="https://meet.example.org/akari-school",
            audiences=["users", "overseas", "public"],
        ),
        [overseas],
    )
    _event(
        office,
        nanoterasu,
        kind=Event.Kind.COALITION_CONFERENCE,
        mode=Event.Mode.HYBRID,
        title_ja="コアリション成果報告会",
        title_en="Coalition results symposium",
        starts_at=_day(45, 13),
        capacity=120,
        online_url="https://meet.example.org/akari-coalition",
        audiences=["policy", "users"],
        **venue,
    )
    _past_safety_lecture(office, nanoterasu, applicant, **venue)


def _past_safety_lecture(
    office: User, facility: Facility, attendee: User | None, **venue: str
) -> None:
    """A lecture a month ago that the applicant attended: their training record."""
    if attendee is None or Event.objects.filter(title_en="Radiation safety lecture (past)"):
        return
    starts = _day(-30, 10)
    with clock.frozen(starts - dt.timedelta(days=7)):
        event = _event(
            office,
            facility,
            kind=Event.Kind.BRIEFING,
            mode=Event.Mode.ON_SITE,
            title_ja="放射線安全講習会（前回）",
            title_en="Radiation safety lecture (past)",
            starts_at=starts,
            capacity=30,
            training_code="safety-lecture",
            training_valid_days=365,
            audiences=["users"],
            **venue,
        )
        assert event is not None
        registration = services.registration_create(event=event, person=attendee, actor=attendee)
    with clock.frozen(starts + dt.timedelta(hours=2)):
        services.registration_mark_attendance(
            registration=registration, attended=True, actor=office
        )
