"""Partner API of the childcare app, mounted under /api/v1/childcare/."""

app_name = "childcare-api"
urlpatterns = []
