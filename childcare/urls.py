"""Browser pages of the childcare app."""

app_name = "childcare"
urlpatterns = []
