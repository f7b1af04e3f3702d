from django.contrib import admin

from akari.core.models import StatusEvent


@admin.register(StatusEvent)
class StatusEventAdmin(admin.ModelAdmin):
    list_display = ["at", "content_type", "object_id", "from_status", "to_status", "actor"]
    list_filter = ["content_type", "to_status"]
    list_select_related = ["content_type", "actor"]
    search_fields = ["object_id", "reason"]
    readonly_fields = [f.name for f in StatusEvent._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
