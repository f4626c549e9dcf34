"""Partner API of the relief app, mounted under /api/v1/relief/."""

app_name = "relief-api"
urlpatterns = []
