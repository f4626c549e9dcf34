"""Printable notices (mounted under /relief/, namespace "relief")."""

urlpatterns = []
