from django.contrib import admin

from . import engine
from .models import Finding, ReviewStep, SelfReview, WordingRule


@admin.register(WordingRule)
class WordingRuleAdmin(admin.ModelAdmin):
    """Administrators add rules or override the shipped ones (same pattern)."""

    list_display = ["pattern", "suggestion", "category", "severity", "effective_from", "is_active"]
    list_filter = ["category", "severity", "is_active"]
    search_fields = ["pattern", "suggestion"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        engine.checker_reset()


@admin.register(Finding)
class FindingAdmin(admin.ModelAdmin):
    list_display = ["item_title", "field", "kind", "text", "suggestion", "severity", "status", "organisation"]
    list_filter = ["status", "severity", "kind"]
    search_fields = ["item_title", "text"]
    readonly_fields = [f.name for f in Finding._meta.fields]


@admin.register(ReviewStep)
class ReviewStepAdmin(admin.ModelAdmin):
    list_display = ["document", "kind", "actor", "attribute", "at"]
    readonly_fields = [f.name for f in ReviewStep._meta.fields]


@admin.register(SelfReview)
class SelfReviewAdmin(admin.ModelAdmin):
    list_display = ["organisation", "year", "created_at", "completed_at"]
