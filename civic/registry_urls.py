from django.urls import path

from .views import registry, registry_io

app_name = "registry"
urlpatterns = [
    path("households/", registry.household_list, name="household-list"),
    path("households/new/", registry.household_create, name="household-create"),
    path("households/<int:pk>/", registry.household_detail, name="household-detail"),
    path("households/<int:pk>/edit/", registry.household_edit, name="household-edit"),
    path("residents/<int:pk>/", registry.resident_detail, name="resident-detail"),
    path("residents/<int:pk>/reveal/", registry.resident_reveal_id, name="resident-reveal"),
    path("residents/<int:pk>/move/", registry.resident_move, name="resident-move"),
    path("residents/<int:pk>/death/", registry.resident_death, name="resident-death"),
    path("households/export/", registry_io.household_export, name="household-export"),
    path("households/import/", registry_io.household_import, name="household-import"),
    path("households/import/template/", registry_io.household_import_template, name="household-import-template"),
]
