"""Registering publications: DOI checks, duplicates, authors with ORCID iDs, links, and the
obligations a publication fulfils.

A publication fulfils the publication obligation of every experiment it is linked to, directly
or through a linked proposal (the experiments the scheduler placed for that proposal). It is
public unless one of its experiments is proprietary.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from akari.accounts import orcid
from akari.accounts.models import User
from akari.beamtime.models import Experiment
from akari.core import audit, clock
from akari.core.workflow import transition
from akari.facility.models import Beamline, Facility
from akari.outcomes.models import Obligation, Publication, PublicationAuthor
from akari.proposals.models import ResearchField

DOI_PATTERN = re.compile(r"^10\.\d{4,9}/\S+$")
_DOI_PREFIXES = (
    "https://doi.org/",
    "http://doi.org/",
    "https://dx.doi.org/",
    "http://dx.doi.org/",
    "doi:",
)


def normalise_doi(value: str) -> str:
    """Lower case, without a resolver prefix or surrounding space."""
    value = value.strip()
    lowered = value.lower()
    for prefix in _DOI_PREFIXES:
        if lowered.startswith(prefix):
            value = value[len(prefix) :]
            break
    return value.strip().lower()


def validate_doi(value: str) -> str:
    """The normalised DOI, or a ValidationError saying what a DOI looks like."""
    doi = normalise_doi(value)
    if not DOI_PATTERN.match(doi):
        raise ValidationError(
            {"doi": _("A DOI looks like 10.1234/abcd.5678 (it starts with “10.”).")}
        )
    return doi


def duplicate_of(facility: Facility, doi: str) -> Publication | None:
    doi = normalise_doi(doi)
    if not doi:
        return None
    return Publication.objects.filter(facility=facility, doi=doi).first()


@dataclass(frozen=True)
class Author:
    name: str
    orcid: str = ""


def _authors(authors: Sequence[Author]) -> list[Author]:
    cleaned: list[Author] = []
    for author in authors:
        name = author.name.strip()
        if not name:
            continue
        iD = orcid.normalise(author.orcid) if author.orcid.strip() else ""
        if iD and not orcid.is_valid(iD):
            raise ValidationError(
                {
                    "authors": _("The ORCID iD %(orcid)s of %(name)s is not valid.")
                    % {"orcid": author.orcid, "name": name}
                }
            )
        cleaned.append(Author(name=name, orcid=iD))
    if not cleaned:
        raise ValidationError({"authors": _("Name at least one author.")})
    return cleaned


def experiments_of_proposals(proposal_ids: Iterable[int]) -> list[Experiment]:
    from akari.scheduling.models import ScheduledBlock

    ids = ScheduledBlock.objects.filter(
        proposal_id__in=list(proposal_ids), experiment__isnull=False
    ).values("experiment_id")
    return list(Experiment.objects.filter(pk__in=ids))


def proposals_of_experiments(experiments: Iterable[Experiment]) -> list[int]:
    from akari.scheduling.models import ScheduledBlock

    return list(
        ScheduledBlock.objects.filter(experiment__in=list(experiments))
        .values_list("proposal_id", flat=True)
        .distinct()
    )


@transaction.atomic
def publication_register(
    *,
    facility: Facility,
    actor: User,
    kind: str,
    title: str,
    year: int,
    authors: Sequence[Author],
    doi: str = "",
    container: str = "",
    volume: str = "",
    pages: str = "",
    url: str = "",
    field: ResearchField | None = None,
    experiments: Iterable[Experiment] = (),
    proposal_ids: Iterable[int] = (),
    beamlines: Iterable[Beamline] = (),
) -> Publication:
    """Register a publication and fulfil the publication obligations it covers.

    Refused (nothing written) for a malformed DOI, a DOI already registered at the facility
    (the message names the existing entry), an invalid ORCID iD or no author."""
    if kind not in Publication.Kind.values:
        raise ValidationError({"kind": _("Choose the type of publication.")})
    if not title.strip():
        raise ValidationError({"title": _("Give the title.")})
    normalised = validate_doi(doi) if doi.strip() else ""
    existing = duplicate_of(facility, normalised)
    if existing is not None:
        raise ValidationError(
            {
                "doi": _(
                    "The DOI %(doi)s is already registered (“%(title)s”, %(year)s). Link your "
                    "experiment to that entry instead of registering it again."
                )
                % {"doi": normalised, "title": existing.title, "year": existing.year}
            },
            code="duplicate_doi",
        )
    cleaned = _authors(authors)
    linked = list(experiments)
    proposal_list = list(proposal_ids)
    linked += [e for e in experiments_of_proposals(proposal_list) if e not in linked]
    proposal_list += [p for p in proposals_of_experiments(linked) if p not in proposal_list]
    lines = {b.pk: b for b in beamlines}
    for experiment in linked:
        lines.setdefault(experiment.beamline_id, experiment.beamline)
    try:
        with transaction.atomic():
            publication = Publication.objects.create(
                facility=facility,
                kind=kind,
                title=title.strip(),
                doi=normalised,
                container=container,
                year=year,
                volume=volume,
                pages=pages,
                url=url,
                field=field,
                programme=linked[0].programme if linked else "",
                public=not any(e.proprietary for e in linked),
                registered_by=actor,
            )
    except IntegrityError:  # a concurrent registration of the same DOI won
        raise ValidationError(
            {"doi": _("The DOI %(doi)s is already registered.") % {"doi": normalised}},
            code="duplicate_doi",
        ) from None
    PublicationAuthor.objects.bulk_create(
        PublicationAuthor(publication=publication, position=i, name=a.name, orcid=a.orcid)
        for i, a in enumerate(cleaned, start=1)
    )
    publication.experiments.set(linked)
    publication.proposals.set(proposal_list)
    publication.beamlines.set(list(lines.values()))
    audit.record(actor=actor, action="outcomes.publication_registered", obj=publication)
    fulfil_publication_obligations(publication=publication, actor=actor)
    return publication


def fulfil_publication_obligations(
    *, publication: Publication, actor: User | None
) -> list[Obligation]:
    pending = Obligation.objects.filter(
        experiment__in=publication.experiments.all(),
        kind=Obligation.Kind.PUBLICATION,
        status__in=[*Obligation.PENDING, Obligation.Status.SUBMITTED],
    )
    fulfilled = []
    for obligation in pending:
        transition(
            obligation,
            Obligation.Status.ACCEPTED,
            actor=actor,
            reason=str(_("Publication registered: %(title)s") % {"title": publication.title})[:300],
            extra_updates={"fulfilled_at": clock.now()},
        )
        fulfilled.append(obligation)
    return fulfilled
