"""Printable notices (mounted under /relief/, namespace "relief")."""

from django.urls import path

from .views import printables

urlpatterns = [
    path("applications/<int:pk>/print/decision/", printables.decision, name="print-decision"),
    path("applications/<int:pk>/print/certificate/", printables.certificate, name="print-certificate"),
    path("notices/<str:region>/print/", printables.notice_sheet, name="print-notice-sheet"),
    path("recipients/<str:region>/print/", printables.recipients_sheet, name="print-recipients"),
]
