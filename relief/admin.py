from django.contrib import admin

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

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)
