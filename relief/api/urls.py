"""Partner API of the relief app, mounted under /api/v1/relief/."""

from django.urls import path

from . import views

app_name = "relief-api"
urlpatterns = [
    path("quotes/", views.QuoteView.as_view(), name="quote"),
]
