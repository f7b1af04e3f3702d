"""Beamline scientists' pages: their technical reviews and the review form."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from akari.proposals.models import Proposal
from akari.reviews import permissions, selectors, services
from akari.reviews.forms import TechnicalReviewForm
from akari.reviews.models import TechnicalReview
from akari.reviews.views.common import page_of, proposal_context


@login_required
def technical_list(request: HttpRequest) -> HttpResponse:
    """Open technical reviews (the person's own, then unassigned ones of their beamlines),
    then the submitted ones."""
    rows = selectors.technical_review_list(
        permissions.technical_reviews_visible_to(request.user).exclude(
            proposal__status=Proposal.Status.WITHDRAWN
        )
    ).order_by("status", "proposal__call__code", "proposal__number", "beamline__code")
    return render(request, "reviews/technical_list.html", {"page": page_of(request, rows)})


def _context(request: HttpRequest, review: TechnicalReview, form: TechnicalReviewForm) -> dict:
    return {
        **proposal_context(request.user, review.proposal_id),
        "review": review,
        "form": form,
        "can_submit": permissions.can_submit_technical_review(request.user, review),
        "can_take": permissions.can_take_technical_review(request.user, review),
    }


@login_required
def technical_detail(request: HttpRequest, pk: int) -> HttpResponse:
    review = permissions.get_technical_review_for(request.user, pk)
    if request.method == "POST":
        form = TechnicalReviewForm(request.POST)
        if form.is_valid():
            try:
                services.technical_review_submit(
                    review=review,
                    actor=request.user,  # type: ignore[arg-type]
                    **form.cleaned_data,
                )
            except services.ReviewRefused as refusal:
                form.add_error(None, refusal)
            else:
                messages.success(request, _("The technical review was submitted."))
                return redirect("reviews:technical-list")
        return render(
            request, "reviews/technical_detail.html", _context(request, review, form), status=400
        )
    services.proposal_view_record(actor=request.user, proposal=review.proposal, where="technical")
    initial = {"recommended_units": review.recommended_units, "verdict": review.verdict}
    form = TechnicalReviewForm(initial=initial)
    return render(request, "reviews/technical_detail.html", _context(request, review, form))


@login_required
@require_POST
def technical_take(request: HttpRequest, pk: int) -> HttpResponse:
    review = permissions.get_technical_review_for(request.user, pk)
    try:
        services.technical_review_take(review=review, actor=request.user)  # type: ignore[arg-type]
    except services.ReviewRefused as refusal:
        messages.error(request, " ".join(refusal.messages))
        return redirect("reviews:technical-list")
    messages.success(request, _("The technical review is yours."))
    return redirect("reviews:technical-detail", pk=pk)
