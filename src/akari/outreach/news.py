"""Every write about news: staff write an item in both languages as a draft, preview it, publish
it (from now or from a chosen instant) and may withdraw it to a draft again."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from akari.core import audit, clock
from akari.core.workflow import transition
from akari.outreach.models import Audience, NewsItem

NEWS_FIELDS = ("facility", "title_ja", "title_en", "body_ja", "body_en", "publish_at")


def _check(values: dict[str, Any]) -> None:
    errors = {
        name: _("Both languages are needed.")
        for name in ("title_ja", "title_en", "body_ja", "body_en")
        if not str(values.get(name) or "").strip()
    }
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def news_create(*, actor: Any, audiences: Iterable[Audience] = (), **values: Any) -> NewsItem:
    data = {name: values.get(name) for name in NEWS_FIELDS}
    _check(data)
    item = NewsItem.objects.create(author=actor, **data)
    item.audiences.set(list(audiences))
    audit.record(actor=actor, action="outreach.news_create", obj=item)
    return item


@transaction.atomic
def news_update(
    *, item: NewsItem, actor: Any, audiences: Iterable[Audience] | None = None, **values: Any
) -> NewsItem:
    locked = NewsItem.objects.select_for_update().get(pk=item.pk)
    for name, value in values.items():
        if name in NEWS_FIELDS:
            setattr(locked, name, value)
    _check({name: getattr(locked, name) for name in NEWS_FIELDS})
    if locked.status == NewsItem.Status.PUBLISHED and locked.publish_at is None:
        locked.publish_at = clock.now()
    locked.save()
    if audiences is not None:
        locked.audiences.set(list(audiences))
    audit.record(actor=actor, action="outreach.news_update", obj=locked)
    return locked


def news_publish(*, item: NewsItem, actor: Any, at: dt.datetime | None = None) -> NewsItem:
    """Publish: shown from ``at``, else from the item's own ``publish_at``, else from now."""
    with transaction.atomic():
        when = at or item.publish_at or clock.now()
        published = transition(
            item, NewsItem.Status.PUBLISHED, actor=actor, extra_updates={"publish_at": when}
        )
        audit.record(
            actor=actor, action="outreach.news_publish", obj=published, at=when.isoformat()
        )
    return published


def news_unpublish(*, item: NewsItem, actor: Any, reason: str = "") -> NewsItem:
    with transaction.atomic():
        draft = transition(item, NewsItem.Status.DRAFT, actor=actor, reason=reason)
        audit.record(actor=actor, action="outreach.news_unpublish", obj=draft, reason=reason)
    return draft
