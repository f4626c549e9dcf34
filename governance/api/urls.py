"""Partner API of the governance app, mounted under /api/v1/governance/."""

app_name = "governance-api"
urlpatterns = []
