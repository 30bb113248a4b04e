from django.contrib import admin

from .models import Document, Interpretation, Topic


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "parent"]


@admin.register(Document)
class DocumentAdmin(admin.ModelAdmin):
    """Read-only view; documents change through the workspace so every change is an event."""

    list_display = ["title", "doc_number", "index_no", "organisation", "status", "validity", "published_at"]
    list_filter = ["status", "validity", "genre"]
    search_fields = ["title", "doc_number", "index_no"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Interpretation)
class InterpretationAdmin(admin.ModelAdmin):
    list_display = ["title", "organisation", "form", "state", "published_at"]

    def has_delete_permission(self, request, obj=None):
        return False
