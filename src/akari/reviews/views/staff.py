"""The user office's review pages: start the review, technical reviewers, the assignment board
(optimise, adjust, publish), conflicts, scores and the ranking per beamline."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from akari.accounts.models import User
from akari.facility.models import Beamline
from akari.proposals.models import Proposal
from akari.reviews import permissions, selectors, services
from akari.reviews.forms import AddReviewerForm, RankingForm, TechnicalAssignForm
from akari.reviews.views.common import HtmxHttpRequest, page_of

BOARD_PAGE_SIZE = 100


def _staff_only(request: HttpRequest) -> None:
    if not permissions.can_manage_reviews(request.user):
        raise Http404(_("No such page."))


def _refused(request: HttpRequest, refusal: services.ReviewRefused) -> None:
    messages.error(request, " ".join(refusal.messages))


@login_required
def call_list(request: HttpRequest) -> HttpResponse:
    _staff_only(request)
    return render(request, "reviews/staff/call_list.html", {"calls": selectors.review_calls()})


@login_required
@require_POST
def call_start(request: HttpRequest, pk: int) -> HttpResponse:
    call = permissions.get_call_for_staff(request.user, pk)
    try:
        created = services.review_start(call=call, actor=request.user)
    except services.ReviewRefused as refusal:
        _refused(request, refusal)
        return redirect("reviews:calls")
    messages.success(
        request, _("Review started: %(count)d technical reviews opened.") % {"count": len(created)}
    )
    return redirect("reviews:call-technical", pk=call.pk)


@login_required
def call_technical(request: HttpRequest, pk: int) -> HttpResponse:
    call = permissions.get_call_for_staff(request.user, pk)
    page = page_of(request, selectors.call_technical_reviews(call))
    scientists = selectors.beamline_scientists({r.beamline_id for r in page})
    rows = [(review, scientists.get(review.beamline_id, [])) for review in page]
    return render(
        request, "reviews/staff/technical.html", {"call": call, "page": page, "rows": rows}
    )


@login_required
@require_POST
def technical_assign(request: HttpRequest, pk: int) -> HttpResponse:
    if not permissions.can_manage_reviews(request.user):
        raise Http404(_("No such technical review."))
    review = permissions.get_technical_review_for(request.user, pk)
    people = selectors.beamline_scientists([review.beamline_id]).get(review.beamline_id, [])
    form = TechnicalAssignForm(
        request.POST,
        scientists=User.objects.filter(pk__in=[p.pk for p in people]),
    )
    if form.is_valid():
        try:
            services.technical_review_assign(
                review=review, reviewer=form.cleaned_data["reviewer"], actor=request.user
            )
            messages.success(request, _("The technical reviewer was changed."))
        except services.ReviewRefused as refusal:
            _refused(request, refusal)
    else:
        messages.error(request, _("Choose a scientist of the beamline."))
    return redirect("reviews:call-technical", pk=review.proposal.call_id)


# --- Assignment board ---------------------------------------------------------------------------


def _board_context(request: HttpRequest, call: Any) -> dict[str, Any]:
    page = page_of(request, selectors.assignment_board(call), BOARD_PAGE_SIZE)
    return {
        "call": call,
        "page": page,
        "policy": selectors.peer_review_policy(call),
        "run": selectors.latest_run(call),
        "pool": selectors.pool_reviewers(call),
    }


@login_required
def call_assignments(request: HttpRequest, pk: int) -> HttpResponse:
    call = permissions.get_call_for_staff(request.user, pk)
    return render(request, "reviews/staff/board.html", _board_context(request, call))


@login_required
@require_POST
def call_optimise(request: HttpRequest, pk: int) -> HttpResponse:
    call = permissions.get_call_for_staff(request.user, pk)
    run = services.assignment_optimise(call=call, actor=request.user)
    if run.status == "infeasible":
        messages.warning(
            request,
            _("Not every proposal could get its reviewers: see the report below."),
        )
    else:
        messages.success(request, _("Reviewers proposed. Check them, then publish."))
    return redirect("reviews:call-assignments", pk=call.pk)


@login_required
@require_POST
def call_publish(request: HttpRequest, pk: int) -> HttpResponse:
    call = permissions.get_call_for_staff(request.user, pk)
    count = services.assignments_publish(call=call, actor=request.user)
    messages.success(
        request, _("%(count)d assignments published; the reviewers were told.") % {"count": count}
    )
    return redirect("reviews:call-assignments", pk=call.pk)


def _board_row(request: HtmxHttpRequest, proposal_pk: int, error: str = "") -> HttpResponse:
    proposal = permissions.get_board_proposal_for(request.user, proposal_pk)
    if request.htmx:
        row = selectors.assignment_board(proposal.call).get(pk=proposal.pk)
        return render(
            request,
            "reviews/staff/_board_row.html",
            {"proposal": row, "call": proposal.call, "error": error},
        )
    if error:
        messages.error(request, error)
    return redirect("reviews:call-assignments", pk=proposal.call_id)


@login_required
@require_POST
def assignment_add(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    proposal = permissions.get_board_proposal_for(request.user, pk)
    form = AddReviewerForm(request.POST, pool=selectors.pool_reviewers(proposal.call))
    error = ""
    if form.is_valid():
        try:
            services.assignment_add(
                proposal=proposal, reviewer=form.cleaned_data["email"], actor=request.user
            )
        except services.ReviewRefused as refusal:
            error = " ".join(refusal.messages)
    else:
        error = " ".join(str(e) for e in form.errors.get("email", []))
    return _board_row(request, proposal.pk, error)


@login_required
@require_POST
def assignment_pin(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    assignment = permissions.get_board_assignment_for(request.user, pk)
    error = ""
    try:
        services.assignment_pin(
            assignment=assignment, pinned=request.POST.get("pinned") == "1", actor=request.user
        )
    except services.ReviewRefused as refusal:
        error = " ".join(refusal.messages)
    return _board_row(request, assignment.proposal_id, error)


@login_required
@require_POST
def assignment_remove(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    assignment = permissions.get_board_assignment_for(request.user, pk)
    services.assignment_remove(assignment=assignment, actor=request.user)
    return _board_row(request, assignment.proposal_id)


@login_required
def call_conflicts(request: HttpRequest, pk: int) -> HttpResponse:
    call = permissions.get_call_for_staff(request.user, pk)
    page = page_of(request, selectors.call_conflicts(call))
    return render(request, "reviews/staff/conflicts.html", {"call": call, "page": page})


@login_required
@require_POST
def call_close_peer_review(request: HttpRequest, pk: int) -> HttpResponse:
    call = permissions.get_call_for_staff(request.user, pk)
    moved = services.peer_review_close(call=call, actor=request.user)
    messages.success(
        request,
        _("Peer review closed: %(count)d proposals went to the selection committee.")
        % {"count": moved},
    )
    return redirect("reviews:call-ranking", pk=call.pk)


@login_required
def proposal_reviews(request: HttpRequest, pk: int) -> HttpResponse:
    """Every review of one proposal: technical reviews (internal comments included), peer
    reviews with raw and normalised scores, and the conflicts of interest."""
    proposal = permissions.get_reviewed_proposal_for(request.user, pk)
    services.proposal_view_record(actor=request.user, proposal=proposal, where="review_summary")
    return render(
        request,
        "reviews/staff/proposal_reviews.html",
        {"summary": selectors.proposal_reviews(proposal), "call": proposal.call},
    )


# --- Ranking ------------------------------------------------------------------------------------


@login_required
def call_ranking(request: HttpRequest, pk: int) -> HttpResponse:
    call = permissions.get_call_for_staff(request.user, pk)
    beamlines = Beamline.objects.filter(pk__in=call.offered_beamlines.values("beamline")).order_by(
        "code"
    )
    form = RankingForm(request.GET or None, beamlines=beamlines)
    beamline = form.cleaned_data["beamline"] if form.is_valid() else beamlines.first()
    ranking = (
        selectors.beamline_ranking(
            call=call,
            beamline=beamline,
            proposals=Proposal.objects.select_related("route", "field"),
        )
        if beamline is not None
        else []
    )
    return render(
        request,
        "reviews/staff/ranking.html",
        {
            "call": call,
            "form": form,
            "beamline": beamline,
            "ranking": ranking,
            "policy": selectors.peer_review_policy(call),
        },
    )
