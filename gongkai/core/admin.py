from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet

from .calendar_services import (
    calendar_days_validate,
    calendar_year_changed,
    calendar_year_delete,
    calendar_year_state,
)
from .models import AuditEvent, CalendarDay, CalendarYear, Membership, Organisation, SiteIdentity, User


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


# --- Working-day calendar ------------------------------------------------------------------------


class CalendarDayFormSet(BaseInlineFormSet):
    """Checks the year's days with the same rules as `gongkai calendar import`."""

    def clean(self):
        super().clean()
        year = self.instance.year
        if not year:
            return
        days = [
            (form.cleaned_data["date"], form.cleaned_data.get("kind"))
            for form in self.forms
            if form.cleaned_data.get("date") and not form.cleaned_data.get("DELETE")
        ]
        problems = calendar_days_validate(year=year, days=days)
        if problems:
            raise ValidationError(problems)


class CalendarDayInline(admin.TabularInline):
    model = CalendarDay
    formset = CalendarDayFormSet
    extra = 3
    fields = ["date", "kind", "name"]


@admin.register(CalendarYear)
class CalendarYearAdmin(admin.ModelAdmin):
    """A year's holiday arrangement, entered from the 国办发明电 notice; every save is a new revision."""

    list_display = ["year", "source", "revision", "entered_by", "entered_at"]
    readonly_fields = ["revision", "entered_by", "entered_at"]
    fields = ["year", "source", "title", "note", "revision", "entered_by", "entered_at"]
    inlines = [CalendarDayInline]

    def save_model(self, request, obj, form, change):
        # Read from the database: `obj` already carries the form's new values.
        stored = CalendarYear.objects.filter(pk=obj.pk).first() if change else None
        obj._calendar_before = calendar_year_state(calendar_year=stored) if stored else None
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        calendar_year_changed(
            calendar_year=form.instance, by=request.user, before=getattr(form.instance, "_calendar_before", None)
        )

    def delete_model(self, request, obj):
        calendar_year_delete(calendar_year=obj, by=request.user)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            calendar_year_delete(calendar_year=obj, by=request.user)


@admin.register(SiteIdentity)
class SiteIdentityAdmin(admin.ModelAdmin):
    """The footer of every public page; one row per platform."""

    list_display = ["sponsor", "organiser", "site_code", "icp_record", "police_record"]

    def has_add_permission(self, request):
        return super().has_add_permission(request) and not SiteIdentity.objects.exists()

    def save_model(self, request, obj, form, change):
        obj.pk = 1
        super().save_model(request, obj, form, change)
