"""Browser pages of the relief app."""

app_name = "relief"
urlpatterns = []
