"""Staff pages of outcomes: the obligations queue, report review, extension decisions, waivers,
survey aggregates, datasets and the SciCat export."""

from __future__ import annotations

from typing import cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from akari.accounts.models import User
from akari.outcomes import permissions, selectors, services
from akari.outcomes.forms import (
    DatasetForm,
    DecisionForm,
    QueueFilter,
    ReviewForm,
    SurveyPeriodForm,
    WaiveForm,
)
from akari.outcomes.models import ExperimentReport, ExtensionRequest
from akari.outcomes.scicat import experiment_scicat


def _staff(request: HttpRequest) -> None:
    if not permissions.is_outcomes_staff(request.user):
        raise PermissionDenied


def _reader(request: HttpRequest) -> None:
    if not permissions.is_outcomes_reader(request.user):
        raise PermissionDenied


def _actor(request: HttpRequest) -> User:
    """The signed-in person (the views are behind ``login_required``)."""
    return cast(User, request.user)


def _errors(request: HttpRequest, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


@login_required
@require_GET
def queue(request: HttpRequest) -> HttpResponse:
    _reader(request)
    form = QueueFilter(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    rows = selectors.queue(filters)
    pending_reports = ExperimentReport.objects.filter(status="submitted").count()
    pending_extensions = ExtensionRequest.objects.filter(status="pending").count()
    return render(
        request,
        "outcomes/queue.html",
        {
            "form": form,
            "obligations": rows[:500],
            "pending_reports": pending_reports,
            "pending_extensions": pending_extensions,
        },
    )


@login_required
@require_POST
def waive(request: HttpRequest, pk: int) -> HttpResponse:
    _staff(request)
    obligation = permissions.get_obligation_for(request.user, pk)
    form = WaiveForm(request.POST)
    if form.is_valid():
        try:
            services.obligation_waive(
                obligation=obligation, actor=_actor(request), reason=form.cleaned_data["reason"]
            )
            messages.success(request, _("Obligation waived."))
        except ValidationError as error:
            _errors(request, error)
    else:
        messages.error(request, _("Give the reason for waiving."))
    return redirect("outcomes:obligation", pk=pk)


@login_required
@require_POST
def report_review(request: HttpRequest, pk: int) -> HttpResponse:
    _staff(request)
    report = get_object_or_404(ExperimentReport.objects.select_related("obligation"), pk=pk)
    form = ReviewForm(request.POST)
    form.is_valid()
    try:
        services.report_review(
            report=report,
            actor=_actor(request),
            accept=request.POST.get("action") == "accept",
            note=form.cleaned_data.get("note", ""),
        )
        messages.success(request, _("Review recorded."))
    except ValidationError as error:
        _errors(request, error)
    return redirect("outcomes:obligation", pk=report.obligation_id)


@login_required
@require_POST
def extension_decide(request: HttpRequest, pk: int) -> HttpResponse:
    _staff(request)
    extension = get_object_or_404(ExtensionRequest, pk=pk)
    form = DecisionForm(request.POST)
    form.is_valid()
    try:
        services.extension_decide(
            request=extension,
            actor=_actor(request),
            approve=request.POST.get("action") == "approve",
            new_due=form.cleaned_data.get("new_due"),
            note=form.cleaned_data.get("note", ""),
        )
        messages.success(request, _("Decision recorded."))
    except ValidationError as error:
        _errors(request, error)
    return redirect("outcomes:obligation", pk=extension.obligation_id)


@login_required
@require_GET
def surveys(request: HttpRequest) -> HttpResponse:
    _reader(request)
    form = SurveyPeriodForm(request.GET or None, initial=SurveyPeriodForm.default())
    period = form.cleaned_data if form.is_valid() else SurveyPeriodForm.default()
    if not request.GET:
        form = SurveyPeriodForm(initial=period)
    return render(
        request,
        "outcomes/surveys.html",
        {
            "form": form,
            "period": period,
            "lines": selectors.survey_aggregates(period["start"], period["end"]),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def datasets(request: HttpRequest, pk: int) -> HttpResponse:
    experiment = permissions.get_experiment_for(request.user, pk)
    staff = permissions.is_outcomes_staff(request.user)
    form = DatasetForm(request.POST or None)
    if request.method == "POST":
        _staff(request)
        if form.is_valid():
            try:
                services.dataset_add(
                    experiment=experiment, actor=_actor(request), **form.cleaned_data
                )
            except ValidationError as error:
                _errors(request, error)
            else:
                messages.success(request, _("Dataset recorded."))
                return redirect("outcomes:datasets", pk=pk)
    return render(
        request,
        "outcomes/datasets.html",
        {
            "experiment": experiment,
            "datasets": experiment.datasets.all(),
            "form": form,
            "staff": staff,
        },
    )


@login_required
@require_GET
def scicat(request: HttpRequest, pk: int) -> JsonResponse:
    experiment = permissions.get_experiment_for(request.user, pk)
    response = JsonResponse(experiment_scicat(experiment), json_dumps_params={"indent": 2})
    response["Content-Disposition"] = f'attachment; filename="scicat-{experiment.reference}.json"'
    return response
