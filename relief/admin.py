from django.contrib import admin

from .models import PolicyState, PolicyTopUp, ReliefPolicy


class PolicyTopUpInline(admin.TabularInline):
    model = PolicyTopUp
    extra = 1


@admin.register(ReliefPolicy)
class ReliefPolicyAdmin(admin.ModelAdmin):
    list_display = ["name", "region", "area", "effective_from", "dibao_standard", "state", "applied_at"]
    list_filter = ["state", "area", "region"]
    date_hierarchy = "effective_from"
    search_fields = ["name", "region__name"]
    autocomplete_fields = ["region"]
    # Drafts only: simulating and publishing (by a second person) happen on the standards pages.
    readonly_fields = [
        "state",
        "simulated_at",
        "published_by",
        "published_at",
        "applied_at",
        "created_at",
        "created_by",
        "created_by_label",
    ]
    exclude = ["simulation"]
    inlines = [PolicyTopUpInline]

    def get_readonly_fields(self, request, obj=None):
        # A published policy is never edited: amounts were computed from it. Draft a new one.
        if obj is not None and obj.state == PolicyState.PUBLISHED:
            return [f.name for f in obj._meta.fields if f.name != "simulation"]
        return super().get_readonly_fields(request, obj)

    def get_inlines(self, request, obj):
        if obj is not None and obj.state == PolicyState.PUBLISHED:
            return []
        return super().get_inlines(request, obj)

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
            obj.created_by_label = request.user.get_username()
        obj.state = PolicyState.DRAFT
        obj.simulation, obj.simulated_at = None, None  # a changed draft is simulated again before publishing
        super().save_model(request, obj, form, change)
