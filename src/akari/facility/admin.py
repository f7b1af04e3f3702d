"""Admin for the facility catalogue. A beamline's status changes only through the actions
("mark in operation", "temporarily close", "retire"), which ask for a reason and call
:func:`akari.facility.services.beamline_set_status`."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils.html import format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from akari.core.workflow import IllegalTransition, history
from akari.facility import services
from akari.facility.models import Beamline, BeamlinePolicyArea, EndStation, Facility, PolicyArea


@admin.register(Facility)
class FacilityAdmin(admin.ModelAdmin):
    list_display = ["code", "name_ja", "name_en", "location_ja"]
    search_fields = ["code", "name_ja", "name_en"]


@admin.register(PolicyArea)
class PolicyAreaAdmin(admin.ModelAdmin):
    list_display = ["code", "name_ja", "name_en", "order"]
    list_editable = ["order"]
    search_fields = ["code", "name_ja", "name_en"]


class BeamlinePolicyAreaInline(admin.TabularInline):
    model = BeamlinePolicyArea
    extra = 0
    autocomplete_fields = ["policy_area"]


class EndStationInline(admin.StackedInline):
    model = EndStation
    extra = 0


class StatusChangeForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Recorded in the status history with your name."),
    )


@admin.register(Beamline)
class BeamlineAdmin(admin.ModelAdmin):
    list_display = ["code", "facility", "name_ja", "name_en", "access_scheme", "operator", "status"]
    list_filter = ["facility", "access_scheme", "status", "policy_areas"]
    list_select_related = ["facility"]
    search_fields = ["code", "name_ja", "name_en", "technique_ja", "technique_en"]
    inlines = [BeamlinePolicyAreaInline, EndStationInline]
    actions = ["mark_operating", "mark_paused", "mark_retired"]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        # A new beamline may start in any status; after that, only the actions change it.
        return ["status", "status_history"] if obj is not None else []

    @admin.display(description=_("Status history"))
    def status_history(self, obj: Beamline) -> SafeString | str:
        events = list(history(obj))
        if not events:
            return "—"
        return format_html_join(
            "",
            "<div>{} · {} → {} · {} · {}</div>",
            (
                (
                    event.at.strftime("%Y-%m-%d %H:%M"),
                    Beamline.Status(event.from_status).label,
                    Beamline.Status(event.to_status).label,
                    event.actor or "—",
                    event.reason,
                )
                for event in events
            ),
        )

    @admin.action(description=_("Mark in operation"), permissions=["change"])
    def mark_operating(self, request: HttpRequest, queryset: QuerySet[Beamline]) -> Any:
        return self._change_status(request, queryset, Beamline.Status.OPERATING, "mark_operating")

    @admin.action(description=_("Temporarily close"), permissions=["change"])
    def mark_paused(self, request: HttpRequest, queryset: QuerySet[Beamline]) -> Any:
        return self._change_status(request, queryset, Beamline.Status.PAUSED, "mark_paused")

    @admin.action(description=_("Retire"), permissions=["change"])
    def mark_retired(self, request: HttpRequest, queryset: QuerySet[Beamline]) -> Any:
        return self._change_status(request, queryset, Beamline.Status.RETIRED, "mark_retired")

    def _change_status(
        self,
        request: HttpRequest,
        queryset: QuerySet[Beamline],
        to: Beamline.Status,
        action: str,
    ) -> HttpResponse | None:
        """Ask for a reason, then move each selected beamline; refusals are shown, not raised."""
        form = StatusChangeForm(request.POST if "apply" in request.POST else None)
        if form.is_valid():
            changed = 0
            for beamline in queryset.select_related("facility"):
                try:
                    services.beamline_set_status(
                        beamline=beamline,
                        status=to,
                        actor=request.user,
                        reason=form.cleaned_data["reason"],
                    )
                except IllegalTransition as refusal:
                    self.message_user(
                        request, f"{beamline.code}: {refusal.messages[0]}", messages.ERROR
                    )
                else:
                    changed += 1
            if changed:
                self.message_user(
                    request,
                    ngettext(
                        "%(count)d beamline is now “%(status)s”.",
                        "%(count)d beamlines are now “%(status)s”.",
                        changed,
                    )
                    % {"count": changed, "status": to.label},
                    messages.SUCCESS,
                )
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": _("Change beamline status"),
            "opts": self.model._meta,
            "queryset": queryset.select_related("facility"),
            "form": form,
            "target": to.label,
            "action": action,
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/facility/beamline/status_change.html", context)


@admin.register(EndStation)
class EndStationAdmin(admin.ModelAdmin):
    list_display = ["code", "beamline", "name_ja", "name_en", "is_active"]
    list_filter = ["beamline__facility", "is_active"]
    list_select_related = ["beamline", "beamline__facility"]
    search_fields = ["code", "name_ja", "name_en", "beamline__code"]
