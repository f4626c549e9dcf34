"""What monitoring does when another app reports its work (connected when the app is ready)."""

from django.dispatch import receiver

from eldercare.signals import visit_recorded
from relief.signals import application_filed

from .services import alerts


@receiver(application_filed, dispatch_uid="monitoring.application_filed")
def close_on_application(sender, application, **kwargs):
    alerts.handled_by_application(application)


@receiver(visit_recorded, dispatch_uid="monitoring.visit_recorded")
def close_on_visit(sender, visit, **kwargs):
    alerts.handled_by_visit(visit)
