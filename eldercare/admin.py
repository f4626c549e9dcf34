from django.contrib import admin

from .models import HallMenu, MealHall, MealPolicy, MealTier


class HallMenuInline(admin.TabularInline):
    model = HallMenu
    extra = 1


@admin.register(MealHall)
class MealHallAdmin(admin.ModelAdmin):
    list_display = ["name", "operator", "region", "capacity", "is_open"]
    list_filter = ["is_open", "region"]
    search_fields = ["name", "operator", "address"]
    autocomplete_fields = ["region"]
    filter_horizontal = ["operators", "terminals"]
    inlines = [HallMenuInline]


class MealTierInline(admin.TabularInline):
    model = MealTier
    extra = 3


@admin.register(MealPolicy)
class MealPolicyAdmin(admin.ModelAdmin):
    list_display = ["name", "region", "effective_from", "meals_per_day", "settlement"]
    list_filter = ["region"]
    autocomplete_fields = ["region"]
    inlines = [MealTierInline]
