"""Settings come from environment variables; these run manage.py in a clean environment."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# The production variables documented in README.md.
PRODUCTION_ENV = {
    "SECRET_KEY": "k3y-" + "x9Qm2vLp8Rt5Wz1Yb7Nc4Hd6Jf0Gs3Ke" * 2,
    "ALLOWED_HOSTS": "civic.example.gov.cn",
    "CSRF_TRUSTED_ORIGINS": "https://civic.example.gov.cn",
    "DATABASE_URL": "postgres://civic:secret@db:5432/civic",
    "CELERY_BROKER_URL": "redis://redis:6379/0",
}


def manage(*args, env=None):
    clean = {k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "LANG")}
    clean.update(env or {})
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=clean, capture_output=True, text=True, timeout=120
    )


def setting(name, env):
    result = manage(
        "shell", "-v", "0", "-c", f"from django.conf import settings; print(repr(settings.{name}))", env=env
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_check_deploy_is_clean_with_the_production_variables():
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_secret_key_is_required_when_debug_is_off():
    result = manage("check", env={"DEBUG": "false"})
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_debug_is_off_unless_asked():
    assert setting("DEBUG", {"SECRET_KEY": "x" * 60}) == "False"
    assert setting("DEBUG", {"DEBUG": "true"}) == "True"


def test_without_database_url_an_sqlite_file_in_the_project_is_used():
    engine = setting("DATABASES['default']['ENGINE']", {"DEBUG": "true"})
    name = setting("DATABASES['default']['NAME']", {"DEBUG": "true"})
    assert "sqlite3" in engine
    assert str(ROOT / "db.sqlite3") in name


def test_without_a_broker_tasks_run_in_process_and_with_one_they_queue():
    assert setting("CELERY_TASK_ALWAYS_EAGER", {"DEBUG": "true"}) == "True"
    assert setting("CELERY_TASK_ALWAYS_EAGER", PRODUCTION_ENV) == "False"


def test_visibility_timeout_outlasts_the_longest_task():
    from django.conf import settings

    assert settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"] > settings.CELERY_TASK_TIME_LIMIT
    assert settings.CELERY_TASK_ACKS_LATE and settings.CELERY_TASK_REJECT_ON_WORKER_LOST
    assert settings.CELERY_WORKER_PREFETCH_MULTIPLIER == 1


def test_a_command_without_the_environment_says_what_is_missing_instead_of_a_traceback():
    result = manage("makemigrations", "--check", "--dry-run", env={})
    assert result.returncode != 0
    assert "Civic cannot start: SECRET_KEY must be set" in result.stderr
    assert "Traceback" not in result.stderr
