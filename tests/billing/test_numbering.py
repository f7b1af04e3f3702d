"""Invoice numbers stay gapless and unique with concurrent issuers on PostgreSQL."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.db import connection

from akari.billing import services
from akari.billing.models import Invoice
from tests.billing.factories import draft_invoice

DAY = dt.date(2026, 6, 10)


@pytest.mark.django_db(transaction=True)
def test_concurrent_issuers_get_gapless_unique_numbers():
    drafts = [draft_invoice() for _ in range(8)]
    barrier = threading.Barrier(len(drafts))
    errors: list[BaseException] = []

    def issue(invoice: Invoice) -> None:
        try:
            barrier.wait(timeout=30)
            services.invoice_issue(invoice=invoice, actor=None, on=DAY)
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=issue, args=(d,)) for d in drafts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    numbers = sorted(Invoice.objects.values_list("number", flat=True))
    assert numbers == [f"INV-2026-{n:06d}" for n in range(1, len(drafts) + 1)]
