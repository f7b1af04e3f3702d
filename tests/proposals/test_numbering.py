"""Two submissions at the same moment never share a number (the call row is locked)."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.db import connection

from akari.core import clock
from akari.proposals import services
from akari.proposals.models import Proposal
from tests.proposals.factories import CallFactory, ProposalFactory, loaded_packs

pytestmark = pytest.mark.django_db(transaction=True)


def test_concurrent_submissions_get_distinct_numbers():
    loaded_packs()
    now = clock.now()  # threads run on the real clock
    call = CallFactory(
        code="2026R", opens_at=now - dt.timedelta(days=1), closes_at=now + dt.timedelta(days=1)
    )
    drafts = [ProposalFactory(call=call) for _ in range(4)]
    barrier = threading.Barrier(len(drafts))
    errors: list[BaseException] = []

    def submit(proposal: Proposal) -> None:
        try:
            barrier.wait()
            services.proposal_submit(proposal=proposal, actor=proposal.created_by)
        except BaseException as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=submit, args=(p,)) for p in drafts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    numbers = sorted(Proposal.objects.values_list("number", flat=True))
    assert numbers == ["2026R0001", "2026R0002", "2026R0003", "2026R0004"]
