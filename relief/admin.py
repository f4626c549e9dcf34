from django.contrib import admin
from django.utils import timezone

from .models import PolicyTopUp, ReliefPolicy


class PolicyTopUpInline(admin.TabularInline):
    model = PolicyTopUp
    extra = 1


@admin.register(ReliefPolicy)
class ReliefPolicyAdmin(admin.ModelAdmin):
    list_display = ["name", "region", "area", "effective_from", "dibao_standard", "rounding", "topup_mode"]
    list_filter = ["area", "region"]
    date_hierarchy = "effective_from"
    search_fields = ["name", "region__name"]
    autocomplete_fields = ["region"]
    readonly_fields = ["created_at", "created_by"]
    inlines = [PolicyTopUpInline]

    def get_readonly_fields(self, request, obj=None):
        # A policy in force is never edited: amounts already paid were computed from it. Publish a new one.
        if obj is not None and obj.effective_from <= timezone.localdate():
            return [f.name for f in obj._meta.fields]
        return super().get_readonly_fields(request, obj)

    def get_inlines(self, request, obj):
        if obj is not None and obj.effective_from <= timezone.localdate():
            return []
        return super().get_inlines(request, obj)

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)
