"""Editing a draft: the form (with htmx autosave) and its sections (team, beamline requests,
unavailable dates, publications, attachments), each a partial swapped in place by htmx."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from akari.accounts.models import User
from akari.core import clock
from akari.proposals import permissions, services
from akari.proposals.forms import (
    AttachmentForm,
    BeamlineRequestForm,
    ProposalForm,
    PublicationForm,
    TeamMemberForm,
    UnavailableForm,
)
from akari.proposals.models import (
    Attachment,
    BeamlineRequest,
    Proposal,
    RelatedPublication,
    TeamMember,
    UnavailablePeriod,
)
from akari.proposals.rules import unit_rule
from akari.proposals.views.common import apply, is_partial

SECTIONS = ("team", "requests", "unavailable", "publications", "attachments")


def _user(request: HttpRequest) -> User:
    return cast(User, request.user)


def _editable(request: HttpRequest, pk: int) -> Proposal:
    """A draft of the requester's team; 404 for anyone else, 403 once submitted."""
    proposal = permissions.get_proposal_for(request.user, pk)
    if not permissions.is_team_member(request.user, proposal):
        raise Http404(_("No such proposal."))
    if not permissions.can_edit(request.user, proposal):
        raise PermissionDenied(_("This proposal has been submitted; it can no longer change."))
    return proposal


def _forms(proposal: Proposal, **bound: forms.BaseForm) -> dict[str, Any]:
    call = proposal.call
    rule = unit_rule(call)
    return {
        "team_form": bound.get("team_form") or TeamMemberForm(),
        "request_form": bound.get("request_form")
        or BeamlineRequestForm(call=call, unit_help=rule.describe()),
        "unavailable_form": bound.get("unavailable_form") or UnavailableForm(),
        "publication_form": bound.get("publication_form") or PublicationForm(),
        "attachment_form": bound.get("attachment_form") or AttachmentForm(),
    }


def _context(request: HttpRequest, proposal: Proposal, **bound: forms.BaseForm) -> dict[str, Any]:
    pack = proposal.call.policy_version.pack
    return {
        "proposal": proposal,
        "form": bound.get("form") or ProposalForm(instance=proposal),
        "unit_rule": unit_rule(proposal.call),
        "pack": pack,
        "is_pi": permissions.is_pi(request.user, proposal),
        "attachment_limit": settings.AKARI_ATTACHMENT_MAX_BYTES,
        **_forms(proposal, **bound),
    }


@login_required
def proposal_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """The whole draft form; POST saves it with the same service as the autosave."""
    proposal = _editable(request, pk)
    form = ProposalForm(request.POST or None, instance=proposal)
    if request.method == "POST" and form.is_valid():
        saved = apply(
            form,
            lambda: services.proposal_update(
                proposal=proposal, actor=_user(request), data=form.draft_data()
            ),
        )
        if saved is not None:
            messages.success(request, _("Draft saved."))
            if "submit" in request.POST:
                return redirect("proposals:submit", proposal.pk)
            return redirect("proposals:edit", proposal.pk)
    return render(request, "proposals/edit.html", _context(request, proposal, form=form))


@login_required
@require_POST
def proposal_autosave(request: HttpRequest, pk: int) -> HttpResponse:
    """htmx: save the draft as it is typed; answer with a small "saved at" line."""
    proposal = _editable(request, pk)
    # A fresh instance: the ModelForm's validation writes onto the instance it is given.
    form = ProposalForm(request.POST, instance=proposal)
    saved = None
    if form.is_valid():
        saved = apply(
            form,
            lambda: services.proposal_update(
                proposal=proposal, actor=_user(request), data=form.draft_data()
            ),
        )
    return render(
        request,
        "proposals/edit/_saved.html",
        {"saved_at": clock.now() if saved is not None else None, "errors": form.errors},
        status=200 if saved is not None else 400,
    )


def _section(request: HttpRequest, pk: int, name: str, **bound: forms.BaseForm) -> HttpResponse:
    proposal = permissions.get_proposal_for(request.user, pk)
    context = _context(request, proposal, **bound)
    if is_partial(request):
        return render(request, f"proposals/edit/_{name}.html", context)
    if not any(f.errors for f in bound.values()):
        return redirect(f"{proposal.get_absolute_url()}edit/#{name}")
    return render(request, "proposals/edit.html", context, status=400)


def _post(
    request: HttpRequest,
    pk: int,
    *,
    section: str,
    form_name: str,
    form: forms.BaseForm,
    action: Callable[[Proposal, dict[str, Any]], Any],
) -> HttpResponse:
    proposal = _editable(request, pk)
    if form.is_valid() and apply(form, lambda: action(proposal, form.cleaned_data)) is not None:
        return _section(request, pk, section)
    return _section(request, pk, section, **{form_name: form})


@login_required
@require_POST
def team_add(request: HttpRequest, pk: int) -> HttpResponse:
    return _post(
        request,
        pk,
        section="team",
        form_name="team_form",
        form=TeamMemberForm(request.POST),
        action=lambda p, data: services.team_member_add(proposal=p, actor=_user(request), **data),
    )


def _member(proposal: Proposal, member_pk: int) -> TeamMember:
    return get_object_or_404(TeamMember, pk=member_pk, proposal=proposal)


@login_required
@require_POST
def team_remove(request: HttpRequest, pk: int, member_pk: int) -> HttpResponse:
    proposal = _editable(request, pk)
    member = _member(proposal, member_pk)
    _run(request, lambda: services.team_member_remove(member=member, actor=_user(request)))
    return _section(request, pk, "team")


@login_required
@require_POST
def team_make_pi(request: HttpRequest, pk: int, member_pk: int) -> HttpResponse:
    proposal = _editable(request, pk)
    if not permissions.is_pi(request.user, proposal):
        raise PermissionDenied(_("Only the principal investigator hands over that role."))
    member = _member(proposal, member_pk)
    _run(request, lambda: services.team_member_make_pi(member=member, actor=_user(request)))
    return _section(request, pk, "team")


@login_required
@require_POST
def team_update(request: HttpRequest, pk: int, member_pk: int) -> HttpResponse:
    proposal = _editable(request, pk)
    member = _member(proposal, member_pk)
    _run(
        request,
        lambda: services.team_member_update(
            member=member,
            actor=_user(request),
            is_experimenter=request.POST.get("is_experimenter") == "on",
            is_supervisor=request.POST.get("is_supervisor") == "on",
        ),
    )
    return _section(request, pk, "team")


def _run(request: HttpRequest, action: Callable[[], Any]) -> None:
    """A one-button action: a refusal becomes a message on the page."""
    from django.core.exceptions import ValidationError

    try:
        action()
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)


@login_required
@require_POST
def request_add(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = _editable(request, pk)
    form = BeamlineRequestForm(
        request.POST, call=proposal.call, unit_help=unit_rule(proposal.call).describe()
    )
    return _post(
        request,
        pk,
        section="requests",
        form_name="request_form",
        form=form,
        action=lambda p, data: services.beamline_request_save(
            proposal=p,
            actor=_user(request),
            beamline=data["beamline"],
            end_station=data["end_station"],
            units=data["units"],
        ),
    )


@login_required
@require_POST
def request_remove(request: HttpRequest, pk: int, request_pk: int) -> HttpResponse:
    proposal = _editable(request, pk)
    row = get_object_or_404(BeamlineRequest, pk=request_pk, proposal=proposal)
    _run(request, lambda: services.beamline_request_remove(request=row, actor=_user(request)))
    return _section(request, pk, "requests")


@login_required
@require_POST
def unavailable_add(request: HttpRequest, pk: int) -> HttpResponse:
    return _post(
        request,
        pk,
        section="unavailable",
        form_name="unavailable_form",
        form=UnavailableForm(request.POST),
        action=lambda p, data: services.unavailable_add(proposal=p, actor=_user(request), **data),
    )


@login_required
@require_POST
def unavailable_remove(request: HttpRequest, pk: int, period_pk: int) -> HttpResponse:
    proposal = _editable(request, pk)
    period = get_object_or_404(UnavailablePeriod, pk=period_pk, proposal=proposal)
    _run(request, lambda: services.unavailable_remove(period=period, actor=_user(request)))
    return _section(request, pk, "unavailable")


@login_required
@require_POST
def publication_add(request: HttpRequest, pk: int) -> HttpResponse:
    return _post(
        request,
        pk,
        section="publications",
        form_name="publication_form",
        form=PublicationForm(request.POST),
        action=lambda p, data: services.publication_add(proposal=p, actor=_user(request), **data),
    )


@login_required
@require_POST
def publication_remove(request: HttpRequest, pk: int, publication_pk: int) -> HttpResponse:
    proposal = _editable(request, pk)
    publication = get_object_or_404(RelatedPublication, pk=publication_pk, proposal=proposal)
    _run(
        request,
        lambda: services.publication_remove(publication=publication, actor=_user(request)),
    )
    return _section(request, pk, "publications")


@login_required
@require_POST
def attachment_add(request: HttpRequest, pk: int) -> HttpResponse:
    return _post(
        request,
        pk,
        section="attachments",
        form_name="attachment_form",
        form=AttachmentForm(request.POST, request.FILES),
        action=lambda p, data: services.attachment_add(
            proposal=p, actor=_user(request), upload=data["file"]
        ),
    )


@login_required
@require_POST
def attachment_remove(request: HttpRequest, pk: int, attachment_pk: int) -> HttpResponse:
    proposal = _editable(request, pk)
    attachment = get_object_or_404(Attachment, pk=attachment_pk, proposal=proposal)
    _run(
        request,
        lambda: services.attachment_remove(attachment=attachment, actor=_user(request)),
    )
    return _section(request, pk, "attachments")
