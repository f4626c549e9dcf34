"""Browser pages of the governance app."""

app_name = "governance"
urlpatterns = []
