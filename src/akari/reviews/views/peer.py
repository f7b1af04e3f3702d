"""Peer reviewers' pages: their assignments, the proposal, the score form (htmx)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from akari.reviews import permissions, selectors, services
from akari.reviews.forms import ConflictForm, DeclineForm, ReviewForm
from akari.reviews.models import ReviewAssignment
from akari.reviews.views.common import HtmxHttpRequest, page_of, proposal_context


@login_required
def assignment_list(request: HttpRequest) -> HttpResponse:
    """The reviewer's published, non-conflicted assignments, open ones first."""
    rows = selectors.assignment_list(permissions.assignments_visible_to(request.user)).order_by(
        "status", "proposal__call__code", "proposal__number"
    )
    return render(request, "reviews/assignment_list.html", {"page": page_of(request, rows)})


def _review_form(assignment: ReviewAssignment, data: dict[str, str] | None = None) -> ReviewForm:
    policy = selectors.peer_review_policy(assignment.proposal.call)
    initial = {}
    review = getattr(assignment, "review", None)
    if review is not None:
        initial = {"score": review.score, "comment": review.comment}
    return ReviewForm(data, initial=initial, policy=policy)


def _form_context(request: HttpRequest, assignment: ReviewAssignment, form: ReviewForm) -> dict:
    return {
        "assignment": assignment,
        "form": form,
        "can_submit": permissions.can_submit_review(request.user, assignment),
        "can_decline": permissions.can_decline(request.user, assignment),
        "policy": selectors.peer_review_policy(assignment.proposal.call),
    }


@login_required
def assignment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    assignment = permissions.get_assignment_for(request.user, pk)
    services.proposal_view_record(
        actor=request.user, proposal=assignment.proposal, where="peer_review"
    )
    context = {
        **proposal_context(request.user, assignment.proposal_id),
        **_form_context(request, assignment, _review_form(assignment)),
        "decline_form": DeclineForm(),
        "conflict_form": ConflictForm(),
    }
    return render(request, "reviews/assignment_detail.html", context)


@login_required
@require_POST
def assignment_submit(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """Save the score and comment; an htmx request gets the form partial back."""
    assignment = permissions.get_assignment_for(request.user, pk)
    form = _review_form(assignment, request.POST)
    saved = False
    if form.is_valid():
        try:
            services.review_submit(
                assignment=assignment,
                actor=request.user,  # type: ignore[arg-type]
                score=form.cleaned_data["score"],
                comment=form.cleaned_data["comment"],
            )
            saved = True
        except services.ReviewRefused as refusal:
            form.add_error(None, refusal)
    if saved and not request.htmx:
        messages.success(request, _("Your review was saved."))
        return redirect("reviews:assignment", pk=pk)
    if saved:
        assignment = permissions.get_assignment_for(request.user, pk)
    context = {**_form_context(request, assignment, form), "saved": saved}
    status = 200 if saved or request.htmx else 400
    if request.htmx:
        return render(request, "reviews/_review_form.html", context, status=status)
    return render(
        request,
        "reviews/assignment_detail.html",
        {
            **proposal_context(request.user, assignment.proposal_id),
            **context,
            "decline_form": DeclineForm(),
            "conflict_form": ConflictForm(),
        },
        status=status,
    )


@login_required
@require_POST
def assignment_decline(request: HttpRequest, pk: int) -> HttpResponse:
    assignment = permissions.get_assignment_for(request.user, pk)
    form = DeclineForm(request.POST)
    if form.is_valid():
        services.assignment_decline(
            assignment=assignment,
            actor=request.user,  # type: ignore[arg-type]
            reason=form.cleaned_data["reason"],
        )
        messages.success(request, _("You declined the review. Thank you for telling us."))
    return redirect("reviews:assignments")


@login_required
@require_POST
def assignment_conflict(request: HttpRequest, pk: int) -> HttpResponse:
    assignment = permissions.get_assignment_for(request.user, pk)
    form = ConflictForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Please say what the conflict is."))
        return redirect("reviews:assignment", pk=pk)
    services.conflict_declare(
        assignment=assignment,
        actor=request.user,  # type: ignore[arg-type]
        detail=form.cleaned_data["detail"],
    )
    messages.success(
        request, _("The conflict of interest is recorded; the proposal was taken off your list.")
    )
    return redirect("reviews:assignments")
