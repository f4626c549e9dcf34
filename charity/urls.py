"""Browser pages of the charity app."""

app_name = "charity"
urlpatterns = []
