from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from .models import AuditEvent, Membership, Organisation, User


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "kind", "parent"]
    search_fields = ["name", "code"]


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0


@admin.register(User)
class GongkaiUserAdmin(UserAdmin):
    inlines = [MembershipInline]
    fieldsets = [*UserAdmin.fieldsets, ("单位信息", {"fields": ["display_name", "phone"]})]


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """The audit log is append-only: visible to administrators, never changed."""

    list_display = ["at", "actor_name", "action", "object_type", "object_repr", "ip_address"]
    list_filter = ["action", "object_type"]
    search_fields = ["object_repr", "actor_name", "object_id"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
