"""Events, news and people for the outreach tests."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

from django.core.management import call_command

from akari.accounts.roles import Role
from akari.core import clock
from akari.facility.models import Beamline, Facility
from akari.outreach import news, services
from akari.outreach.models import Audience, Event, NewsItem
from tests.factories import UserFactory

NOW = dt.datetime(2026, 12, 1, 9, 0, tzinfo=clock.TOKYO)


def at(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=clock.TOKYO)  # type: ignore[misc]


def audiences() -> dict[str, Audience]:
    """The four audience rows (a transactional test's flush removes the migration's rows)."""
    for order, code in enumerate(Audience.Code, start=1):
        Audience.objects.get_or_create(code=code, defaults={"order": order})
    return {a.code: a for a in Audience.objects.all()}


def catalogue() -> dict[str, Facility]:
    """NanoTerasu and SPring-8 with their beamlines and the seed's policy areas."""
    if not Beamline.objects.filter(facility__code="nanoterasu").exists():
        call_command("load_facility", all=True, stdout=io.StringIO())
    return {f.code: f for f in Facility.objects.all()}


def facility() -> Facility:
    found, _ = Facility.objects.get_or_create(
        code="nanoterasu", defaults={"name_ja": "NanoTerasu", "name_en": "NanoTerasu"}
    )
    return found


def staff() -> Any:
    from tests.billing.factories import with_mfa

    return with_mfa(UserFactory(roles=[Role.USER_OFFICE]))


def event(
    *,
    capacity: int = 2,
    publish: bool = True,
    starts: dt.datetime | None = None,
    audience_codes: tuple[str, ...] = (),
    actor: Any = None,
    **overrides: Any,
) -> Event:
    """An on-site workshop on 10 December 2026 (registration open 1 Nov – 9 Dec)."""
    starts = starts or at(2026, 12, 10, 13)
    actor = actor or staff()
    values: dict[str, Any] = {
        "facility": facility(),
        "kind": Event.Kind.WORKSHOP,
        "mode": Event.Mode.ON_SITE,
        "title_ja": "XAFS講習会",
        "title_en": "XAFS workshop",
        "description_ja": "XAFS測定の基礎。",
        "description_en": "The basics of XAFS measurements.",
        "starts_at": starts,
        "ends_at": starts + dt.timedelta(hours=3),
        "venue_ja": "NanoTerasu 講義室",
        "venue_en": "NanoTerasu lecture room",
        "online_url": "",
        "capacity": capacity,
        "registration_opens_at": at(2026, 11, 1),
        "registration_closes_at": starts - dt.timedelta(days=1),
        "training_code": "",
        "training_valid_days": None,
        **overrides,
    }
    found = audiences()
    created = services.event_create(
        actor=actor, audiences=[found[c] for c in audience_codes], **values
    )
    if publish:
        created = services.event_publish(event=created, actor=actor)
    return created


def news_item(
    *,
    publish: bool = True,
    publish_at: dt.datetime | None = None,
    actor: Any = None,
    **overrides: Any,
) -> NewsItem:
    actor = actor or staff()
    audience_codes = overrides.pop("audience_codes", ())
    found = audiences()
    values: dict[str, Any] = {
        "facility": facility(),
        "title_ja": "ビームタイム公募開始",
        "title_en": "Call for proposals opens",
        "body_ja": (
            "2027A期の課題公募を開始しました。\n\n"
            "詳しくは https://example.org/call をご覧ください。"
        ),
        "body_en": "The 2027A call is open.\n\nSee https://example.org/call for details.",
        "publish_at": publish_at,
        **overrides,
    }
    item = news.news_create(actor=actor, audiences=[found[c] for c in audience_codes], **values)
    if publish:
        item = news.news_publish(item=item, actor=actor)
    return item
