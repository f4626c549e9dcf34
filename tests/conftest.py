import os

import pytest

from civic.celery import app as celery_app

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def set_eager(value):
    # The app reads Django's CELERY_* names (namespace "CELERY"), so the override goes under that name.
    celery_app.conf.CELERY_TASK_ALWAYS_EAGER = value
    assert celery_app.conf.task_always_eager is value


@pytest.fixture(autouse=True)
def celery_in_process():
    """Unit tests run tasks in-process; the worker tests switch this off to go through Redis."""
    previous = celery_app.conf.task_always_eager
    set_eager(True)
    yield
    set_eager(previous)


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # Hashing strength is not under test; PBKDF2 would spend a second a test on staff accounts.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    """Uploaded files go to a fresh folder per test, never into the project."""
    settings.MEDIA_ROOT = tmp_path / "media"


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


def id_number(area="440402", birth="19800101", seq=1):
    """A valid resident ID number (GB 11643) for tests."""
    from civic.idnumbers import check_char

    body = f"{area}{birth}{seq:03d}"
    return body + check_char(body)


@pytest.fixture
def household_factory(regions, django_user_model):
    """Register a household through the service, as a system administrator."""
    from civic.services import household_create

    admin = django_user_model.objects.create_superuser("root-factory", password="Str0ng-pass-word!")
    counter = iter(range(1, 10_000))

    def make(region_code="440402005001", size=3, address=None, names=None):
        relationships = ["head", "spouse", "child", "child", "parent", "parent"]
        members = []
        for i in range(size):
            n = next(counter)
            members.append(
                {
                    "name": (names or [])[i] if names and i < len(names) else f"居民{n}",
                    "id_number": id_number(area=region_code[:6], birth=f"19{50 + n % 50:02d}0101", seq=n % 1000),
                    "relationship": relationships[i],
                    "hukou_type": "local_urban",
                    "work_ability": "full",
                }
            )
        return household_create(
            actor=admin, region_code=region_code, address=address or f"测试路{n}号", members=members
        )

    return make
