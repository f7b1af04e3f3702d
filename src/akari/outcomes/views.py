"""Outcomes pages for everyone (public publications, beamline outcomes, public reports) and for
users (my obligations, report, extension request, publication registration, survey)."""

from __future__ import annotations

from typing import cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from akari.accounts.models import User
from akari.core.i18n import current_language
from akari.core.workflow import history
from akari.facility.models import Beamline
from akari.outcomes import bibliography, permissions, selectors, services
from akari.outcomes.forms import (
    DecisionForm,
    ExtensionForm,
    ImportForm,
    PublicationForm,
    PublicFilter,
    ReportForm,
    ReviewForm,
    SurveyForm,
    WaiveForm,
)
from akari.outcomes.models import ExperimentReport, SurveyQuestion
from akari.outcomes.publications import publication_register


def _actor(request: HttpRequest) -> User:
    """The signed-in person (the views are behind ``login_required``)."""
    return cast(User, request.user)


def _errors(request: HttpRequest, error: ValidationError, form: object | None = None) -> None:
    if hasattr(error, "error_dict") and form is not None and hasattr(form, "add_error"):
        for field, errors in error.message_dict.items():
            target = field if field in getattr(form, "fields", {}) else None
            for message in errors:
                form.add_error(target, message)
        return
    for message in error.messages:
        messages.error(request, message)


# --- Public -------------------------------------------------------------------------------


@require_GET
def publications(request: HttpRequest) -> HttpResponse:
    form = PublicFilter(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    rows = selectors.public_publications(filters)
    return render(
        request,
        "outcomes/publications.html",
        {
            "form": form,
            "publications": rows,
            "beamlines": Beamline.objects.order_by("code").only("code"),
            "query": request.GET.urlencode(),
        },
    )


@require_GET
def publications_export(request: HttpRequest, fmt: str) -> HttpResponse:
    form = PublicFilter(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    citations = [bibliography.citation_of(p) for p in selectors.public_publications(filters)]
    if fmt == "bib":
        body, kind = bibliography.write_bibtex(citations), "application/x-bibtex"
    elif fmt == "ris":
        body, kind = bibliography.write_ris(citations), "application/x-research-info-systems"
    else:
        raise Http404("Unknown format.")
    response = HttpResponse(body, content_type=f"{kind}; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="publications.{fmt}"'
    return response


@require_GET
def beamline_outcomes(request: HttpRequest, code: str) -> HttpResponse:
    beamline = get_object_or_404(Beamline, code=code)
    return render(
        request,
        "outcomes/beamline.html",
        {
            "beamline": beamline,
            "publications": selectors.public_publications({"beamline": beamline}),
            "reports": selectors.public_reports(beamline),
        },
    )


@require_GET
def public_report(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_object_or_404(selectors.public_reports(), pk=pk)
    return render(request, "outcomes/report_public.html", {"report": report})


# --- Users --------------------------------------------------------------------------------


@login_required
@require_GET
def mine(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "outcomes/mine.html",
        {
            "obligations": selectors.my_obligations(request.user),
            "experiments": selectors.my_finished_experiments(request.user)[:20],
        },
    )


@login_required
@require_GET
def obligation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    obligation = permissions.get_obligation_for(request.user, pk)
    report = ExperimentReport.objects.filter(obligation=obligation).first()
    staff = permissions.is_outcomes_staff(request.user)
    return render(
        request,
        "outcomes/obligation.html",
        {
            "obligation": obligation,
            "report": report,
            "can_write": permissions.can_edit_report(request.user, obligation, report),
            "can_extend": permissions.can_ask_extension_now(request.user, obligation),
            "extension_form": ExtensionForm(),
            "extensions": obligation.extensions.select_related("requested_by", "decided_by"),
            "staff": staff,
            "waive_form": WaiveForm(),
            "review_form": ReviewForm(),
            "decision_form": DecisionForm(),
            "events": history(obligation),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def report_edit(request: HttpRequest, pk: int) -> HttpResponse:
    obligation = permissions.get_obligation_for(request.user, pk)
    if not permissions.can_write_report(request.user, obligation):
        raise Http404("No report to write here.")
    report = ExperimentReport.objects.filter(obligation=obligation).first()
    form = ReportForm(request.POST or None, instance=report)
    if request.method == "POST" and form.is_valid():
        submit = request.POST.get("action") == "submit"
        try:
            services.report_save(
                obligation=obligation, actor=_actor(request), data=form.cleaned_data, submit=submit
            )
        except ValidationError as error:
            _errors(request, error, form)
        else:
            messages.success(request, _("Report submitted.") if submit else _("Draft saved."))
            return redirect("outcomes:obligation", pk=obligation.pk)
    return render(request, "outcomes/report_form.html", {"obligation": obligation, "form": form})


@login_required
@require_POST
def extension_request(request: HttpRequest, pk: int) -> HttpResponse:
    obligation = permissions.get_obligation_for(request.user, pk)
    if not permissions.can_request_extension(request.user, obligation):
        raise Http404("No extension possible here.")
    form = ExtensionForm(request.POST)
    if form.is_valid():
        try:
            services.extension_request(
                obligation=obligation,
                actor=_actor(request),
                reason=form.cleaned_data["reason"],
                until=form.cleaned_data["until"],
            )
            messages.success(request, _("Extension requested; the user office will decide."))
        except ValidationError as error:
            _errors(request, error)
    else:
        messages.error(request, _("Give the reason for the extension."))
    return redirect("outcomes:obligation", pk=obligation.pk)


@login_required
@require_http_methods(["GET", "POST"])
def publication_new(request: HttpRequest) -> HttpResponse:
    experiments = selectors.my_finished_experiments(request.user)
    import_form = ImportForm()
    initial: dict[str, object] = {}
    form = PublicationForm(experiments=experiments)
    if request.method == "POST" and request.POST.get("action") == "import":
        import_form = ImportForm(request.POST)
        if import_form.is_valid():
            try:
                found = bibliography.parse_any(import_form.cleaned_data["text"])
            except bibliography.BibliographyError:
                import_form.add_error("text", _("This is neither BibTeX nor RIS we can read."))
            else:
                first = found[0]
                initial = {
                    "kind": first.kind,
                    "title": first.title,
                    "doi": first.doi,
                    "authors": "\n".join(first.authors),
                    "container": first.container,
                    "year": first.year,
                    "volume": first.volume,
                    "pages": first.pages,
                    "url": first.url,
                }
                if len(found) > 1:
                    messages.info(request, _("Only the first entry was imported."))
                form = PublicationForm(initial=initial, experiments=experiments)
    elif request.method == "POST":
        form = PublicationForm(request.POST, experiments=experiments)
        if form.is_valid():
            data = form.cleaned_data
            linked = list(data["experiments"])
            try:
                publication_register(
                    facility=linked[0].beamline.facility,
                    actor=_actor(request),
                    kind=data["kind"],
                    title=data["title"],
                    year=data["year"],
                    authors=form.author_list(),
                    doi=data["doi"],
                    container=data["container"],
                    volume=data["volume"],
                    pages=data["pages"],
                    url=data["url"],
                    field=data["field"],
                    experiments=linked,
                    beamlines=data["beamlines"],
                )
            except ValidationError as error:
                _errors(request, error, form)
            else:
                messages.success(
                    request,
                    _(
                        "Publication registered. The publication obligations of its "
                        "experiments are fulfilled."
                    ),
                )
                return redirect("outcomes:mine")
    return render(
        request,
        "outcomes/publication_form.html",
        {"form": form, "import_form": import_form, "has_experiments": experiments.exists()},
    )


@login_required
@require_http_methods(["GET", "POST"])
def survey(request: HttpRequest, pk: int) -> HttpResponse:
    experiment = permissions.get_experiment_for(request.user, pk)
    if not permissions.can_answer_survey(request.user, experiment):
        raise Http404("Not your experiment.")
    questions = list(
        SurveyQuestion.objects.filter(facility=experiment.beamline.facility_id, active=True)
    )
    answered = experiment.survey_responses.filter(respondent=_actor(request)).exists()
    form = SurveyForm(request.POST or None, questions=questions, language=current_language())
    if request.method == "POST" and not answered and form.is_valid():
        try:
            services.survey_respond(
                experiment=experiment, actor=_actor(request), answers=form.answers()
            )
        except ValidationError as error:
            _errors(request, error)
        else:
            messages.success(request, _("Thank you for your answers."))
            return redirect("outcomes:mine")
    return render(
        request,
        "outcomes/survey.html",
        {"experiment": experiment, "form": form, "answered": answered, "questions": questions},
    )
