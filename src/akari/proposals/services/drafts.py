"""Writing a draft: create, save (the autosave uses the same function), team, beamline
requests, unavailable dates, publications, and copying a proposal for a resubmission.

Every function here refuses a proposal that is no longer a draft: once submitted, a proposal's
content is what the reviewers read.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from akari.accounts.models import User
from akari.core import audit, clock
from akari.facility.models import Beamline, EndStation
from akari.policies.models import AccessRoute
from akari.proposals.models import (
    Attachment,
    BeamlineRequest,
    Call,
    Proposal,
    RelatedPublication,
    TeamMember,
    UnavailablePeriod,
)
from akari.proposals.rules import blocking_obligations, units_problem, window_problems

# Fields an applicant edits on the draft form (and the autosave writes).
DRAFT_FIELDS = (
    "route",
    "title",
    "abstract",
    "purpose",
    "field",
    "keywords",
    "samples",
    "hazards",
    "hazards_details",
    "previous_proposals",
    "earliest_start",
)


def _require_draft(proposal: Proposal) -> Proposal:
    locked = Proposal.objects.select_for_update().get(pk=proposal.pk)
    if locked.status != Proposal.Status.DRAFT:
        raise ValidationError(
            _("This proposal has been submitted; its content can no longer change.")
        )
    return locked


def _check_route(call: Call, route: AccessRoute) -> None:
    if not call.routes.filter(pk=route.pk).exists():
        raise ValidationError(
            {
                "route": _("The access route “%(route)s” is not accepted in this call.")
                % {"route": route}
            }
        )


@transaction.atomic
def proposal_create(*, call: Call, route: AccessRoute, actor: User) -> Proposal:
    """A new draft in an open call, with ``actor`` as principal investigator."""
    problems = window_problems(call, now=clock.now())
    if problems:
        raise ValidationError(problems)
    _check_route(call, route)
    proposal = Proposal.objects.create(call=call, route=route, created_by=actor)
    TeamMember.objects.create(proposal=proposal, person=actor, role=TeamMember.Role.PI)
    audit.record(actor=actor, action="proposal.created", obj=proposal)
    return proposal


@transaction.atomic
def proposal_update(*, proposal: Proposal, actor: User, data: Mapping[str, Any]) -> Proposal:
    """Save the draft's fields (any subset of :data:`DRAFT_FIELDS`); incomplete is fine: the
    submission checks completeness. The autosave and the full save both come here."""
    unknown = set(data) - set(DRAFT_FIELDS)
    if unknown:
        raise TypeError(f"Not draft fields: {sorted(unknown)}")
    locked = _require_draft(proposal)
    if "route" in data and data["route"].pk != locked.route_id:
        _check_route(locked.call, data["route"])
    for name, value in data.items():
        setattr(locked, name, value)
    if data:
        locked.save(update_fields=list(data))
    return locked


# --- Team -----------------------------------------------------------------------------------


@transaction.atomic
def team_member_add(
    *,
    proposal: Proposal,
    actor: User,
    email: str,
    role: str = TeamMember.Role.CO_INVESTIGATOR,
    is_experimenter: bool = True,
    is_supervisor: bool = False,
) -> TeamMember:
    """Add the person with account ``email`` to the team (co-investigator or student)."""
    locked = _require_draft(proposal)
    if role == TeamMember.Role.PI:
        raise ValidationError(
            {"role": _("Add the person first, then make them principal investigator.")}
        )
    person = User.objects.filter(email__iexact=email.strip(), is_active=True).first()
    if person is None:
        raise ValidationError(
            {
                "email": _(
                    "No one has an Akari account with the e-mail address %(email)s. Ask them "
                    "to sign up first, then add them."
                )
                % {"email": email.strip()}
            }
        )
    if locked.team.filter(person=person).exists():
        raise ValidationError(
            {"email": _("%(person)s is already on the team.") % {"person": person}}
        )
    paper = locked.call.policy_version.pack.obligations.paper
    if paper is not None and paper.overdue_bars_new_proposals:
        # SPring-8: a person with an overdue paper may not appear on a new team.
        blocked = blocking_obligations(person)
        if blocked:
            raise ValidationError(
                {
                    "email": [
                        _("%(person)s cannot take part in new proposals: %(obligation)s")
                        % {"person": person, "obligation": obligation}
                        for obligation in blocked
                    ]
                }
            )
    member = TeamMember.objects.create(
        proposal=locked,
        person=person,
        role=role,
        is_experimenter=is_experimenter,
        is_supervisor=is_supervisor,
    )
    audit.record(actor=actor, action="proposal.team_added", obj=locked, person=person.pk)
    return member


@transaction.atomic
def team_member_update(
    *, member: TeamMember, actor: User, is_experimenter: bool, is_supervisor: bool
) -> TeamMember:
    _require_draft(member.proposal)
    member.is_experimenter = is_experimenter
    member.is_supervisor = is_supervisor
    member.save(update_fields=["is_experimenter", "is_supervisor"])
    return member


@transaction.atomic
def team_member_remove(*, member: TeamMember, actor: User) -> None:
    locked = _require_draft(member.proposal)
    if member.role == TeamMember.Role.PI:
        raise ValidationError(
            _("The principal investigator cannot leave: make someone else PI first.")
        )
    member.delete()
    audit.record(actor=actor, action="proposal.team_removed", obj=locked, person=member.person_id)


@transaction.atomic
def team_member_make_pi(*, member: TeamMember, actor: User) -> TeamMember:
    """Make ``member`` the principal investigator; the former PI becomes a co-investigator."""
    locked = _require_draft(member.proposal)
    TeamMember.objects.filter(proposal=locked, role=TeamMember.Role.PI).exclude(
        pk=member.pk
    ).update(role=TeamMember.Role.CO_INVESTIGATOR, updated_at=clock.now())
    member.role = TeamMember.Role.PI
    member.is_supervisor = False
    member.save(update_fields=["role", "is_supervisor"])
    audit.record(actor=actor, action="proposal.pi_changed", obj=locked, person=member.person_id)
    return member


# --- Beamline requests ----------------------------------------------------------------------


@transaction.atomic
def beamline_request_save(
    *,
    proposal: Proposal,
    actor: User,
    beamline: Beamline,
    end_station: EndStation | None,
    units: int,
) -> BeamlineRequest:
    """Ask for ``units`` of beamtime on ``beamline`` (replaces an earlier request there)."""
    locked = _require_draft(proposal)
    call = locked.call
    if not call.offered_beamlines.filter(beamline=beamline).exists():
        raise ValidationError(
            {
                "beamline": _("%(beamline)s is not offered in this call.")
                % {"beamline": beamline.code}
            }
        )
    if end_station is not None and end_station.beamline_id != beamline.pk:
        raise ValidationError(
            {
                "end_station": _("%(station)s is not an end station of %(beamline)s.")
                % {"station": end_station, "beamline": beamline.code}
            }
        )
    problem = units_problem(call, beamline.code, units)
    if problem:
        raise ValidationError({"units": problem})
    request, _created = BeamlineRequest.objects.update_or_create(
        proposal=locked,
        beamline=beamline,
        defaults={"end_station": end_station, "units_requested": units},
    )
    return request


@transaction.atomic
def beamline_request_remove(*, request: BeamlineRequest, actor: User) -> None:
    _require_draft(request.proposal)
    request.delete()


# --- Unavailable dates and publications ----------------------------------------------------


@transaction.atomic
def unavailable_add(
    *, proposal: Proposal, actor: User, start: dt.date, end: dt.date, reason: str = ""
) -> UnavailablePeriod:
    locked = _require_draft(proposal)
    if end < start:
        raise ValidationError({"end": _("The last day comes before the first.")})
    return UnavailablePeriod.objects.create(proposal=locked, start=start, end=end, reason=reason)


@transaction.atomic
def unavailable_remove(*, period: UnavailablePeriod, actor: User) -> None:
    _require_draft(period.proposal)
    period.delete()


@transaction.atomic
def publication_add(
    *, proposal: Proposal, actor: User, citation: str, authors: str, doi: str = ""
) -> RelatedPublication:
    locked = _require_draft(proposal)
    authors = "\n".join(line.strip() for line in authors.splitlines() if line.strip())
    return RelatedPublication.objects.create(
        proposal=locked, citation=citation.strip(), authors=authors, doi=doi.strip()
    )


@transaction.atomic
def publication_remove(*, publication: RelatedPublication, actor: User) -> None:
    _require_draft(publication.proposal)
    publication.delete()


# --- Copy for a resubmission ------------------------------------------------------------------


@transaction.atomic
def proposal_copy(
    *, proposal: Proposal, call: Call, actor: User, route: AccessRoute | None = None
) -> Proposal:
    """A new draft in the open ``call`` with the content, team, publications, attachments and
    the beamline requests that ``call`` offers. Unavailable dates are not copied (they belong to
    the earlier period); ``copied_from`` links the two. ``route`` defaults to the route of the
    same code in ``call``."""
    problems = window_problems(call, now=clock.now())
    if problems:
        raise ValidationError(problems)
    if route is None:
        route = call.routes.filter(code=proposal.route.code).first()
        if route is None:
            raise ValidationError(
                {
                    "route": _("This call has no route “%(route)s”: choose one.")
                    % {"route": proposal.route}
                }
            )
    _check_route(call, route)
    copy = Proposal.objects.create(
        call=call,
        route=route,
        created_by=actor,
        copied_from=proposal,
        title=proposal.title,
        abstract=proposal.abstract,
        purpose=proposal.purpose,
        field=proposal.field,
        keywords=list(proposal.keywords),
        samples=proposal.samples,
        hazards=list(proposal.hazards),
        hazards_details=proposal.hazards_details,
        previous_proposals=_previous(proposal),
    )
    TeamMember.objects.bulk_create(
        [
            TeamMember(
                proposal=copy,
                person_id=m.person_id,
                role=m.role,
                is_experimenter=m.is_experimenter,
                is_supervisor=m.is_supervisor,
            )
            for m in proposal.team.all()
        ]
    )
    offered = set(call.offered_beamlines.values_list("beamline_id", flat=True))
    BeamlineRequest.objects.bulk_create(
        [
            BeamlineRequest(
                proposal=copy,
                beamline_id=r.beamline_id,
                end_station_id=r.end_station_id,
                units_requested=r.units_requested,
            )
            for r in proposal.beamline_requests.all()
            if r.beamline_id in offered
        ]
    )
    RelatedPublication.objects.bulk_create(
        [
            RelatedPublication(proposal=copy, citation=p.citation, authors=p.authors, doi=p.doi)
            for p in proposal.publications.all()
        ]
    )
    for attachment in proposal.attachments.all():
        _copy_attachment(attachment, copy, actor)
    audit.record(actor=actor, action="proposal.copied", obj=copy, copied_from=proposal.pk)
    return copy


def _previous(proposal: Proposal) -> str:
    if not proposal.number:
        return proposal.previous_proposals
    lines = [proposal.number, *proposal.previous_proposals.splitlines()]
    return "\n".join(dict.fromkeys(line.strip() for line in lines if line.strip()))


def _copy_attachment(attachment: Attachment, copy: Proposal, actor: User) -> None:
    from django.core.files.base import ContentFile

    with attachment.file.open("rb") as source:
        content = source.read()
    new = Attachment(
        proposal=copy,
        original_name=attachment.original_name,
        size=attachment.size,
        sha256=attachment.sha256,
        uploaded_by=actor,
    )
    new.file.save(attachment.original_name, ContentFile(content), save=False)
    new.save()
