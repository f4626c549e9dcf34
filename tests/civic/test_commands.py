import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from civic.demo import ACCOUNTS, REGIONS
from civic.models import Region, User
from civic.roles import Role


def run(*args):
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_seed_demo_loads_the_city_and_one_account_per_role_and_can_run_twice(db):
    first = run("seed_demo")
    second = run("seed_demo")
    assert Region.objects.count() == len(REGIONS)
    assert User.objects.count() == len(ACCOUNTS)
    assert {u.role for u in User.objects.all()} == set(Role.values)
    assert "caseworker" in first and "Civic-demo-2026" in second
    assert "0 new demo accounts" in second


def test_seed_demo_keeps_a_changed_password(db):
    run("seed_demo")
    user = User.objects.get(username="caseworker")
    user.set_password("A-new-and-private-one-42")
    user.save()
    run("seed_demo")
    user.refresh_from_db()
    assert user.check_password("A-new-and-private-one-42")


def test_create_staff_binds_role_and_region(regions):
    run(
        "create_staff", "--username", "wang", "--password", "Gongbei-2026!", "--role", "caseworker",
        "--region", "440402005002",
    )  # fmt: skip
    user = User.objects.get(username="wang")
    assert user.role == Role.CASEWORKER and user.region_id == "440402005002"
    assert user.check_password("Gongbei-2026!")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--role", "caseworker", "--region", "440402005000"], "社区经办人"),  # a street, not a community
        (["--role", "mayor", "--region", "440402005001"], "mayor"),
        (["--role", "caseworker", "--region", "123"], "123"),
    ],
)
def test_create_staff_refuses_bad_role_or_region(regions, args, message):
    with pytest.raises(CommandError, match=message):
        run("create_staff", "--username", "x", "--password", "Gongbei-2026!", *args)
    assert not User.objects.filter(username="x").exists()


def test_create_staff_refuses_a_weak_password(regions):
    with pytest.raises(CommandError, match="密码"):
        run("create_staff", "--username", "x", "--password", "12345678", "--role", "auditor", "--region", "4404")
    assert not User.objects.exists()
