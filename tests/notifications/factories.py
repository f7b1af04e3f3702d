"""Factories of the notification tests."""

from __future__ import annotations

import factory

from akari.notifications.models import Notification
from tests.factories import UserFactory


class NotificationFactory(factory.django.DjangoModelFactory):
    """A stored notification (bypasses notify(): no rendering, no e-mail)."""

    class Meta:
        model = Notification

    recipient = factory.SubFactory(UserFactory)
    kind = "notifications.message"
    dedupe_key = factory.Sequence(lambda n: f"test:{n}")
    language = "ja"
    subject = factory.Sequence(lambda n: f"[Akari] Subject {n}")
    body = "Body"
