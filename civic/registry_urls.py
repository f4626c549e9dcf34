from django.urls import include, path

from .views import registry

app_name = "registry"
urlpatterns = [
    path("households/", registry.household_list, name="household-list"),
    path("households/new/", registry.household_create, name="household-create"),
    path("households/<int:pk>/", registry.household_detail, name="household-detail"),
    path("households/<int:pk>/edit/", registry.household_edit, name="household-edit"),
    path("residents/<int:pk>/", registry.resident_detail, name="resident-detail"),
    path("residents/<int:pk>/reveal/", registry.resident_reveal_id, name="resident-reveal"),
    path("residents/<int:pk>/move/", registry.resident_move, name="resident-move"),
    path("", include("civic.registry_io_urls")),
]
