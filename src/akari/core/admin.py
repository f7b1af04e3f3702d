from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from akari.core.admin_base import ReadOnlyAdmin
from akari.core.models import AuditEvent, StatusEvent

admin.site.site_header = _("Akari administration")
admin.site.site_title = _("Akari administration")
admin.site.index_title = _("User office administration")


@admin.register(StatusEvent)
class StatusEventAdmin(ReadOnlyAdmin):
    list_display = ["at", "content_type", "object_id", "from_status", "to_status", "actor"]
    list_filter = ["content_type", "to_status"]
    list_select_related = ["content_type", "actor"]
    search_fields = ["object_id", "reason"]
    readonly_fields = [f.name for f in StatusEvent._meta.fields]


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    list_display = ["at", "action", "content_type", "object_id", "actor"]
    list_filter = ["action", "content_type"]
    list_select_related = ["content_type", "actor"]
    search_fields = ["object_id", "action"]
    readonly_fields = [f.name for f in AuditEvent._meta.fields]
