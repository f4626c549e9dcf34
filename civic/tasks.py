from celery import shared_task

from . import services


@shared_task
def purge_idempotency_keys():
    """Forget stored API responses older than the idempotency window."""
    return services.idempotency_records_purge()


@shared_task
def purge_stale_imports():
    """Delete import uploads left waiting for more than a day."""
    return services.stale_imports_purge()


@shared_task
def refresh_figures(source_name, region_code="", month=None):
    """Refresh one dashboard source for one region (its subtree) and month, after a write. Idempotent."""
    from datetime import date

    from . import figures
    from .models import Region
    from .months import add_months

    region = Region.objects.filter(code=region_code).first() if region_code else None
    prefix = region.prefix if region is not None else (region_code or "").rstrip("0")
    start = date.fromisoformat(month).replace(day=1) if month else None
    end = add_months(start, 1) if start else None
    return figures.refresh(source_name, prefix, start, end)


@shared_task
def refresh_all_figures():
    """Every dashboard source over the last thirteen months (nightly)."""
    from . import figures

    return figures.refresh_all()
