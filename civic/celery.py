"""The Celery app and the one beat schedule of the project.

Tasks are thin: they take ids and call a service. Reliability settings (acks_late, reject on worker
lost, prefetch 1, visibility timeout) live in settings.py under CELERY_*.
"""

import os

from celery import Celery
from celery.schedules import crontab

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "civic.settings")

app = Celery("civic")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# The one beat schedule. django-celery-beat copies these entries into its tables, where the bureau can
# see, pause or re-time them in the admin.
app.conf.beat_schedule = {
    "purge-idempotency-keys": {
        "task": "civic.tasks.purge_idempotency_keys",
        "schedule": crontab(minute=17, hour=3),
    },
    "relief-close-ended-notices": {
        "task": "relief.tasks.close_ended_notices",
        "schedule": crontab(minute=5, hour=0),
    },
    "relief-end-finished-gradual-exits": {
        "task": "relief.tasks.end_finished_gradual_exits",
        "schedule": crontab(minute=10, hour=0),
    },
    "relief-apply-due-standards": {
        "task": "relief.tasks.apply_due_standards",
        "schedule": crontab(minute=20, hour=0),
    },
    "relief-generate-monthly-batches": {
        "task": "relief.tasks.generate_monthly_batches",
        "schedule": crontab(minute=30, hour=1, day_of_month=1),
    },
    "eldercare-settle-ended-periods": {
        "task": "eldercare.tasks.settle_ended_periods",
        "schedule": crontab(minute=50, hour=1, day_of_month=1),
    },
    "eldercare-flag-overdue-visits": {
        "task": "eldercare.tasks.flag_overdue_visits",
        "schedule": crontab(minute=40, hour=0),
    },
    "childcare-alert-overdue-reports": {
        "task": "childcare.tasks.alert_overdue_reports",
        "schedule": crontab(minute="*/10"),
    },
    "governance-remind-overdue-resolutions": {
        "task": "governance.tasks.remind_overdue_resolutions",
        "schedule": crontab(minute=0, hour=8),
    },
    "monitoring-nightly": {
        "task": "monitoring.tasks.start_nightly",
        "schedule": crontab(minute=0, hour=1),
    },
    "refresh-dashboard-figures": {
        "task": "civic.tasks.refresh_all_figures",
        "schedule": crontab(minute=45, hour=2),
    },
    "purge-stale-imports": {
        "task": "civic.tasks.purge_stale_imports",
        "schedule": crontab(minute=27, hour=3),
    },
}
