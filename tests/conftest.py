import os

import pytest

from civic.celery import app as celery_app

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(autouse=True)
def celery_in_process():
    """Unit tests run tasks in-process; the worker tests switch this off to go through Redis."""
    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = previous


@pytest.fixture
def regions(db):
    from civic.demo import regions_load

    regions_load()
    from civic.models import Region

    return {r.code: r for r in Region.objects.all()}


@pytest.fixture
def staff_factory(regions):
    from civic.services import staff_create

    def make(role, region_code, username=None, password="Str0ng-pass-word!"):
        username = username or f"{role}-{region_code}"
        return staff_create(username=username, password=password, role=role, region_code=region_code)

    return make
