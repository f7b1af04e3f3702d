"""Finished experiments under each programme, staff, and survey questions for outcomes tests."""

from __future__ import annotations

import datetime as dt
from typing import Any

from akari.accounts.roles import Role
from akari.beamtime import services as beamtime
from akari.beamtime.models import Block, Experiment
from akari.facility.models import Beamline
from akari.outcomes.models import SurveyQuestion
from tests.beamtime.factories import at
from tests.billing.factories import BEAMLINES, with_mfa
from tests.factories import UserFactory
from tests.proposals.factories import loaded_packs

END = at(2026, 6, 1, 18)  # the default experiment ends on 2026-06-01 18:00 Tokyo


def staff(role: str = Role.USER_OFFICE) -> Any:
    return with_mfa(UserFactory(roles=[role]))


def experiment(
    *,
    programme: str = "spring8",
    route: str = "normal",
    end: dt.datetime | None = None,
    hours: int = 8,
    proprietary: bool = False,
    lead: Any | None = None,
    participants: tuple[Any, ...] = (),
    reference: str = "",
    title: str = "",
) -> Experiment:
    loaded_packs()
    end = end or END
    beamline = Beamline.objects.get(code=BEAMLINES[programme])
    block = beamtime.block_occupy(
        beamline=beamline,
        start=end - dt.timedelta(hours=hours),
        end=end,
        kind=Block.Kind.EXPERIMENT,
        actor=None,
    )
    return beamtime.experiment_create(
        block=block,
        programme=programme,
        route=route,
        reference=reference or f"2026A{block.pk:04d}",
        lead=lead or UserFactory(),
        actor=None,
        proprietary=proprietary,
        title=title or "オペランドXAFSによる触媒の局所構造解析",
        participants=participants,
    )


def survey_questions(experiment: Experiment) -> list[SurveyQuestion]:
    facility = experiment.beamline.facility
    return [
        SurveyQuestion.objects.create(
            facility=facility,
            text_ja="ビームラインの性能に満足しましたか",
            text_en="How satisfied were you with the beamline?",
            kind=SurveyQuestion.Kind.SCALE,
            order=1,
        ),
        SurveyQuestion.objects.create(
            facility=facility,
            text_ja="ご意見",
            text_en="Comments",
            kind=SurveyQuestion.Kind.TEXT,
            order=2,
        ),
    ]


def placed(exp: Experiment, *, period_end: dt.date, proposal: Any | None = None) -> Any:
    """Link ``exp`` to a proposal through a scheduled block of a period ending ``period_end``
    (as the scheduler does when it publishes a schedule)."""
    from akari.scheduling.models import ScheduledBlock, SchedulePeriod
    from tests.proposals.factories import ProposalFactory

    proposal = proposal or ProposalFactory(status="accepted")
    request = proposal.beamline_requests.first()
    period, _created = SchedulePeriod.objects.get_or_create(
        facility=exp.beamline.facility,
        code=f"P{period_end:%Y%m}",
        defaults={"start": exp.start.date() - dt.timedelta(days=30), "end": period_end},
    )
    ScheduledBlock.objects.create(
        period=period,
        request=request,
        proposal=proposal,
        beamline=exp.beamline,
        start=exp.start,
        end=exp.end,
        shifts=1,
        experiment=exp,
    )
    return proposal
