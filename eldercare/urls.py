"""Browser pages of the eldercare app."""

from django.urls import path

from .views import elders, halls, meals, settlements

app_name = "eldercare"
urlpatterns = [
    # Meal halls: the list, the hall with its day's meals, recording a meal at the counter.
    path("", halls.hall_list, name="hall-list"),
    path("halls/<int:pk>/", halls.hall_detail, name="hall-detail"),
    path("halls/<int:pk>/meals/", meals.meal_record, name="meal-record"),
    path("halls/<int:pk>/settle/", settlements.settlement_start, name="settle"),
    path("halls/<int:pk>/settlements/", halls.hall_settlements_fragment, name="hall-settlements"),
    path("enrol/", meals.enrol, name="enrol"),
    # Settlements of the operators' advanced subsidy.
    path("settlements/", settlements.settlement_list, name="settlement-list"),
    path("settlements/<int:pk>/", settlements.settlement_detail, name="settlement-detail"),
    path("settlements/<int:pk>/approve/", settlements.settlement_approve, name="settlement-approve"),
    path("settlements/<int:pk>/meals.csv", settlements.settlement_csv, name="settlement-csv"),
    # Special-hardship elderly and their visits.
    path("elders/", elders.elder_list, name="elder-list"),
    path("elders/overdue/", elders.elder_overdue, name="elder-overdue"),
    path("elders/coverage/", elders.visit_coverage, name="visit-coverage"),
    path("elders/new/", elders.elder_register, name="elder-register"),
    path("elders/<int:pk>/", elders.elder_detail, name="elder-detail"),
    path("elders/<int:pk>/visits/", elders.visit_record, name="visit-record"),
]
