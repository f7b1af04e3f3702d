"""Factories for the calendar: blocks and booking windows at aware Asia/Tokyo times."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import factory

from akari.beamtime.models import Block, BookingWindow
from tests.facility.factories import BeamlineFactory

TOKYO = ZoneInfo("Asia/Tokyo")


def at(y: int, m: int, d: int, h: int = 0, minute: int = 0) -> datetime:
    return datetime(y, m, d, h, minute, tzinfo=TOKYO)


class BlockFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Block

    beamline = factory.SubFactory(BeamlineFactory)
    start = at(2026, 12, 1, 9)
    end = at(2026, 12, 1, 17)
    kind = Block.Kind.RESERVED


class BookingWindowFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BookingWindow

    beamline = factory.SubFactory(BeamlineFactory)
    programme = "nanoterasu-coalition"
    start = at(2026, 12, 1, 0)
    end = at(2027, 1, 1, 0)
