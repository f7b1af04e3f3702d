from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from akari.accounts.models import User
from akari.services import permissions, selectors
from akari.services.forms import ConsultationForm, ProposalStartForm, ReplyForm
from akari.services.models import Consultation, ConsultationAttachment, MembershipEnquiry, Queue
from akari.services.services import consultations as desk
from akari.services.views.common import report


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    return render(request, "services/index.html", {})


@require_http_methods(["GET", "POST"])
def consultation_new(request: HttpRequest) -> HttpResponse:
    user = request.user
    initial = {}
    if user.is_authenticated:
        initial = {"requester_name": str(user), "requester_email": user.email}
    form = ConsultationForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            consultation = desk.consultation_open(
                facility=data["facility"],
                topic=data["topic"],
                subject=data["subject"],
                body=data["body"],
                requester_name=data["requester_name"],
                requester_email=data["requester_email"],
                organisation_name=data["organisation_name"],
                language=(get_language() or "ja")[:2],
                files=data["attachments"],
                actor=user,
            )
        except ValidationError as error:
            report(request, error, form)
        else:
            if consultation.verified_at is not None:
                messages.success(request, _("Your consultation has been sent to our staff."))
                return redirect("services:consultation", consultation.pk)
            return render(
                request, "services/consultation_check_email.html", {"consultation": consultation}
            )
    return render(request, "services/consultation_form.html", {"form": form})


@require_GET
def consultation_verify(request: HttpRequest, token: str) -> HttpResponse:
    try:
        consultation = desk.consultation_verify(token=token)
    except ValidationError as error:
        return render(
            request,
            "services/consultation_link_invalid.html",
            {"errors": error.messages},
            status=400,
        )
    messages.success(
        request, _("Thank you: your e-mail address is verified and our staff will answer soon.")
    )
    return redirect("services:consultation-thread", desk.thread_token(consultation))


def _thread_context(consultation: Consultation) -> dict[str, object]:
    return {"consultation": consultation, "thread": selectors.thread(consultation)}


@require_http_methods(["GET", "POST"])
def consultation_thread(request: HttpRequest, token: str) -> HttpResponse:
    """The requester's view through the secret link (no account needed)."""
    consultation = desk.from_thread_token(token)
    if consultation is None:
        raise Http404("No such consultation.")
    form = ReplyForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            desk.consultation_requester_reply(
                consultation=consultation,
                body=form.cleaned_data["body"],
                files=form.cleaned_data["attachments"],
                actor=request.user if request.user.is_authenticated else None,
            )
        except ValidationError as error:
            report(request, error, form)
        else:
            messages.success(request, _("Your message has been sent."))
            return redirect("services:consultation-thread", token)
    return render(
        request,
        "services/consultation_detail.html",
        {**_thread_context(consultation), "form": form, "token": token, "as_requester": True},
    )


@login_required
@require_http_methods(["GET", "POST"])
def consultation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    consultation = permissions.get_consultation_for(request.user, pk)
    staff = permissions.can_work(request.user, consultation)
    requester = permissions.is_requester(request.user, consultation)
    form = ReplyForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if staff:
                desk.consultation_staff_reply(
                    consultation=consultation,
                    body=data["body"],
                    files=data["attachments"],
                    actor=request.user,  # type: ignore[arg-type]
                    waiting=request.POST.get("waiting", "1") == "1",
                )
            else:
                desk.consultation_requester_reply(
                    consultation=consultation,
                    body=data["body"],
                    files=data["attachments"],
                    actor=request.user,
                )
        except ValidationError as error:
            report(request, error, form)
        else:
            messages.success(request, _("Your message has been sent."))
            return redirect("services:consultation", pk)
    context = {
        **_thread_context(consultation),
        "form": form,
        "staff": staff,
        "as_requester": requester,
        "can_start_proposal": permissions.can_start_proposal(request.user, consultation),
        "proposal_form": ProposalStartForm(facility=consultation.facility)
        if permissions.can_start_proposal(request.user, consultation)
        else None,
        "has_enquiry": hasattr(consultation, "membership_enquiry"),
        "colleagues": desk.queue_staff(consultation.queue).exclude(id=request.user.id or 0)
        if staff
        else [],
    }
    return render(request, "services/consultation_detail.html", context)


@login_required
@require_POST
def consultation_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    consultation = permissions.get_consultation_for(request.user, pk)
    user: User = request.user  # type: ignore[assignment]
    try:
        if action == "take":
            desk.consultation_assign(consultation=consultation, assignee=user, actor=user)
            messages.success(request, _("The consultation is assigned to you."))
        elif action == "assign":
            assignee = get_object_or_404(
                desk.queue_staff(consultation.queue), pk=request.POST.get("assignee")
            )
            desk.consultation_assign(consultation=consultation, assignee=assignee, actor=user)
            messages.success(
                request, _("The consultation is assigned to %(name)s.") % {"name": assignee}
            )
        elif action == "resolve":
            desk.consultation_resolve(
                consultation=consultation, actor=user, reason=request.POST.get("reason", "")
            )
            messages.success(request, _("The consultation is resolved."))
        elif action == "enquiry":
            desk.consultation_to_enquiry(consultation=consultation, actor=user)
            messages.success(request, _("A coalition membership enquiry has been created."))
        elif action == "proposal":
            form = ProposalStartForm(request.POST, facility=consultation.facility)
            if not form.is_valid():
                messages.error(request, _("Choose an open call and an access route."))
                return redirect("services:consultation", pk)
            proposal = desk.consultation_start_proposal(
                consultation=consultation,
                call=form.cleaned_data["call"],
                route=form.cleaned_data["route"],
                actor=user,
            )
            messages.success(
                request, _("A proposal draft has been started from your consultation.")
            )
            return redirect("proposals:detail", proposal.pk)
        else:
            raise Http404
    except ValidationError as error:
        report(request, error)
    return redirect("services:consultation", pk)


@require_GET
def attachment_download(request: HttpRequest, pk: int) -> FileResponse:
    attachment = get_object_or_404(
        ConsultationAttachment.objects.select_related("message__consultation"), pk=pk
    )
    consultation = attachment.message.consultation
    token = request.GET.get("t", "")
    by_link = (
        token
        and (found := desk.from_thread_token(token)) is not None
        and found.pk == consultation.pk
    )
    if (
        not by_link
        and not permissions.consultations_visible_to(request.user)
        .filter(pk=consultation.pk)
        .exists()
    ):
        raise Http404("No such file.")
    return FileResponse(attachment.file.open("rb"), as_attachment=True, filename=attachment.name)


@login_required
@require_GET
def my_consultations(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "services/my_consultations.html",
        {"consultations": selectors.my_consultations(request.user)},
    )


@login_required
@require_GET
def queue(request: HttpRequest) -> HttpResponse:
    if not permissions.is_consultation_staff(request.user):
        raise PermissionDenied
    wanted = request.GET.get("queue", "")
    status = request.GET.get("status", "")
    if wanted and wanted not in Queue.values:
        wanted = ""
    if status and status not in Consultation.Status.values:
        status = ""
    return render(
        request,
        "services/queue.html",
        {
            "consultations": selectors.consultation_queue(
                request.user, queue=wanted, status=status
            ),
            "figures": selectors.response_figures(request.user),
            "queues": [q for q in Queue if str(q) in permissions.queues_of(request.user)],
            "statuses": Consultation.Status.choices,
            "wanted": wanted,
            "status": status,
            "desk": permissions.is_desk_staff(request.user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def enquiries(request: HttpRequest) -> HttpResponse:
    if not permissions.is_desk_staff(request.user):
        raise PermissionDenied
    if request.method == "POST":
        enquiry = get_object_or_404(
            permissions.enquiries_visible_to(request.user), pk=request.POST.get("enquiry")
        )
        try:
            desk.enquiry_set_status(
                enquiry=enquiry,
                to=request.POST.get("to", ""),
                actor=request.user,  # type: ignore[arg-type]
            )
        except ValidationError as error:
            report(request, error)
        return redirect("services:enquiries")
    return render(
        request,
        "services/enquiries.html",
        {
            "enquiries": permissions.enquiries_visible_to(request.user).select_related(
                "facility", "consultation"
            ),
            "statuses": MembershipEnquiry.Status,
        },
    )
