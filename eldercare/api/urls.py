"""Partner API of the eldercare app, mounted under /api/v1/eldercare/."""

app_name = "eldercare-api"
urlpatterns = []
