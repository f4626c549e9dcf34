"""Browser pages of the eldercare app."""

app_name = "eldercare"
urlpatterns = []
