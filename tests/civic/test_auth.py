import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

from civic.access import ensure_different_people
from civic.errors import ApplicationError
from civic.roles import Role

PASSWORD = "Str0ng-pass-word!"


def attempt(client, username, password):
    return client.post("/accounts/login/", {"username": username, "password": password})


def test_repeated_wrong_passwords_lock_the_account(client, staff_factory):
    staff_factory(Role.CASEWORKER, "440402005001", username="lin")
    for _ in range(4):
        assert attempt(client, "lin", "wrong-Pass-1").status_code == 200
    assert attempt(client, "lin", "wrong-Pass-1").status_code == 429  # the fifth failure locks
    locked = attempt(client, "lin", PASSWORD)  # even the right password is refused now
    assert locked.status_code == 429
    assert "账号已锁定" in locked.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_successful_sign_in_clears_earlier_failures(client, staff_factory):
    staff_factory(Role.CASEWORKER, "440402005001", username="lin")
    for _ in range(4):
        attempt(client, "lin", "wrong-Pass-1")
    assert attempt(client, "lin", PASSWORD).status_code == 302
    client.post("/accounts/logout/")
    for _ in range(4):
        attempt(client, "lin", "wrong-Pass-1")
    assert attempt(client, "lin", PASSWORD).status_code == 302


@pytest.mark.parametrize("password", ["short1A!", "alllowercaseletters", "ALLUPPER12345", "12345678901", "password123"])
def test_weak_passwords_are_refused(password):
    with pytest.raises(ValidationError):
        validate_password(password)


def test_a_strong_password_passes():
    validate_password("Gongbei-2026!")


def test_separation_of_duties(staff_factory):
    filer = staff_factory(Role.STREET_REVIEWER, "440402005000")
    other = staff_factory(Role.DISTRICT_APPROVER, "440402")
    ensure_different_people(filer, other, step="approve")
    with pytest.raises(ApplicationError) as info:
        ensure_different_people(filer, filer, step="approve")
    assert info.value.code == "separation_of_duties"
