"""Partner API of the charity app, mounted under /api/v1/charity/."""

app_name = "charity-api"
urlpatterns = []
