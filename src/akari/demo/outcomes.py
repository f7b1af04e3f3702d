"""Demo data of outcomes: survey questions, three finished experiments and what they owe
(a SPring-8 experiment with an accepted report, a registered paper, survey answers and a
dataset; a NanoTerasu experiment whose report is overdue with an extension request waiting; a
proprietary experiment with a draft usage report), then the daily job. Idempotent."""

from __future__ import annotations

import contextlib
import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError

from akari.accounts.models import User
from akari.beamtime import services as beamtime
from akari.beamtime.models import Block, Experiment
from akari.core.clock import TOKYO
from akari.facility.models import Beamline, Facility
from akari.outcomes import services
from akari.outcomes.engine import obligations_create, outcomes_daily
from akari.outcomes.models import Dataset, ExperimentReport, Obligation, SurveyQuestion
from akari.outcomes.publications import Author, duplicate_of, publication_register

QUESTIONS = [
    ("ビームラインの性能に満足しましたか", "How satisfied were you with the beamline?", "scale"),
    ("職員の支援に満足しましたか", "How satisfied were you with the staff's support?", "scale"),
    ("改善してほしい点をお書きください", "What should we improve?", "text"),
]

# (reference, programme, route, beamline, start, hours, lead, participants, proprietary)
EXPERIMENTS = [
    (
        "DEMO-OUT-1",
        "spring8",
        "normal",
        "BL01B1",
        dt.datetime(2026, 6, 10, 10, tzinfo=TOKYO),
        24,
        "applicant@demo.akari.example",
        ["student@demo.akari.example"],
        False,
    ),
    (
        "DEMO-OUT-2",
        "nanoterasu-shared",
        "general",
        "BL02U",
        dt.datetime(2026, 7, 15, 10, tzinfo=TOKYO),
        24,
        "overseas@demo.akari.example",
        [],
        False,
    ),
    (
        "DEMO-OUT-3",
        "spring8",
        "proprietary_normal",
        "BL46XU",
        dt.datetime(2026, 9, 2, 10, tzinfo=TOKYO),
        8,
        "member-gold@demo.akari.example",
        [],
        True,
    ),
]


def _questions() -> None:
    for facility in Facility.objects.all():
        for order, (ja, en, kind) in enumerate(QUESTIONS, start=1):
            SurveyQuestion.objects.get_or_create(
                facility=facility,
                text_en=en,
                defaults={"text_ja": ja, "kind": kind, "order": order},
            )


def _experiment(row: tuple[Any, ...], people: dict[str, User]) -> Experiment | None:
    reference, programme, route, code, start, hours, lead_email, others, proprietary = row
    existing = Experiment.objects.filter(reference=reference).first()
    if existing is not None:
        return existing
    beamline = Beamline.objects.filter(code=code).first()
    lead = people.get(lead_email)
    if beamline is None or lead is None:
        return None
    try:
        block = beamtime.block_occupy(
            beamline=beamline,
            start=start,
            end=start + dt.timedelta(hours=hours),
            kind=Block.Kind.EXPERIMENT,
            actor=None,
            label=reference,
        )
    except ValidationError:
        return None  # the time is taken by another demo
    experiment = beamtime.experiment_create(
        block=block,
        programme=programme,
        route=route,
        reference=reference,
        lead=lead,
        actor=None,
        proprietary=proprietary,
        title="担持Pt触媒のオペランドXAFS" if not proprietary else "Demo proprietary experiment",
        participants=[people[e] for e in others if e in people],
    )
    beamtime.experiment_complete(experiment=experiment, actor=None)
    return experiment


def _first(experiment: Experiment, people: dict[str, User]) -> None:
    office = people.get("office@demo.akari.example")
    report_ob = experiment.obligations.filter(kind=Obligation.Kind.REPORT).first()
    if (
        report_ob is not None
        and office is not None
        and not ExperimentReport.objects.filter(obligation=report_ob).exists()
    ):
        report = services.report_save(
            obligation=report_ob,
            actor=experiment.lead,
            data={
                "language": "ja",
                "title": "担持Pt触媒の反応中の局所構造",
                "aim": "CO酸化反応中のPtナノ粒子の構造変化を明らかにする。",
                "method": "BL01B1 で Pt L3 端のオペランドXAFSを測定した。",
                "results": "反応中に Pt-Pt 結合距離が短縮し、配位数が減少した。",
                "outlook": "担体の違いによる効果を比較する。",
            },
            submit=True,
        )
        services.report_review(report=report, actor=office, accept=True, note="")
    if duplicate_of(experiment.beamline.facility, "10.5555/akari.demo.2026.1") is None:
        publication_register(
            facility=experiment.beamline.facility,
            actor=experiment.lead,
            kind="refereed",
            title="Operando XAFS of supported Pt nanoparticles during CO oxidation",
            year=2026,
            authors=[Author("Aoki, Yui", "0000-0002-1825-0097"), Author("Kato, Ren")],
            doi="10.5555/akari.demo.2026.1",
            container="Journal of Synchrotron Demo",
            volume="12",
            pages="101-110",
            experiments=[experiment],
        )
    scale = SurveyQuestion.objects.filter(
        facility=experiment.beamline.facility_id, kind="scale", active=True
    )
    for person, score in ((experiment.lead, 5), *((p, 4) for p in experiment.participants.all())):
        if not experiment.survey_responses.filter(respondent=person).exists():
            services.survey_respond(
                experiment=experiment, actor=person, answers={q.pk: score for q in scale}
            )
    scientist = people.get("scientist@demo.akari.example")
    if scientist is not None and not Dataset.objects.filter(pid="DEMO-DS-BL01B1-0001").exists():
        services.dataset_add(
            experiment=experiment,
            actor=scientist,
            pid="DEMO-DS-BL01B1-0001",
            location="file:///data/spring8/BL01B1/2026/DEMO-OUT-1/",
            size_bytes=12_884_901_888,
            description="Pt L3-edge operando XAFS, 240 spectra",
        )


def _second(experiment: Experiment) -> None:
    report_ob = experiment.obligations.filter(kind=Obligation.Kind.REPORT).first()
    if report_ob is not None and not report_ob.extensions.exists():
        with contextlib.suppress(ValidationError):
            services.extension_request(
                obligation=report_ob,
                actor=experiment.lead,
                reason="Sample analysis at our home laboratory is delayed by two weeks.",
            )


def _third(experiment: Experiment) -> None:
    usage = experiment.obligations.filter(kind=Obligation.Kind.USAGE_REPORT).first()
    if usage is not None and not ExperimentReport.objects.filter(obligation=usage).exists():
        services.report_save(
            obligation=usage,
            actor=experiment.lead,
            data={"language": "ja", "title": "利用実績報告（下書き）", "aim": "電池材料の評価"},
        )


def demo_outcomes(people: dict[str, User]) -> None:
    """Idempotent; called by ``load_demo`` after the billing demo."""
    _questions()
    made = [_experiment(row, people) for row in EXPERIMENTS]
    for experiment in made:
        if experiment is not None:
            obligations_create(experiment=experiment)
    first, second, third = made
    if first is not None:
        _first(first, people)
    if second is not None:
        _second(second)
    if third is not None:
        _third(third)
    outcomes_daily()
