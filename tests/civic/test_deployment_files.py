"""Docker cannot run here, so check that every command the compose file and Dockerfile run exists."""

import importlib
import re
import shlex
from pathlib import Path

import yaml
from django.core.management import get_commands
from django.urls import resolve

ROOT = Path(__file__).resolve().parents[2]
COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
REQUIREMENTS = (ROOT / "requirements.txt").read_text().lower()


def as_words(command):
    return shlex.split(command) if isinstance(command, str) else list(command)


def shell_commands(words):
    """Split `sh -c "a && b"` into its simple commands."""
    if words[:2] in (["sh", "-c"], ["/bin/sh", "-c"]):
        return [shlex.split(part) for part in re.split(r"&&|;", words[2]) if part.strip()]
    return [words]


def assert_runs_in_project(words):
    while "=" in words[0]:  # leading VAR=value assignments
        words = words[1:]
    program, args = words[0], words[1:]
    if program == "python" and args[:1] == ["manage.py"]:
        assert (ROOT / "manage.py").exists()
        assert args[1] in get_commands(), f"manage.py has no command {args[1]}"
    elif program == "python" and args[:1] == ["-c"]:
        urls = re.findall(r"http://[^/]+(/[^'\"]*)", args[1])
        for url in urls:
            resolve(url)
    elif program == "gunicorn":
        assert "gunicorn==" in REQUIREMENTS
        module, attr = args[-1].split(":")
        assert getattr(importlib.import_module(module), attr)
        if "-c" in args:
            assert (ROOT / args[args.index("-c") + 1]).exists()
    elif program == "celery":
        assert "celery" in REQUIREMENTS
        assert args[0] == "-A"
        assert importlib.import_module(f"{args[1]}.celery").app
        assert args[2] in {"worker", "beat"}
    elif program in {"pg_isready", "redis-cli", "redis-server"}:
        pass  # provided by the postgres and redis images
    else:
        raise AssertionError(f"unexpected command in deployment files: {words}")


def test_compose_has_the_production_services_with_health_checks():
    services = COMPOSE["services"]
    assert {"postgres", "redis", "web", "worker", "beat", "migrate"} <= set(services)
    for name in ("postgres", "redis", "web"):
        assert "healthcheck" in services[name], name
    assert services["web"]["depends_on"]["migrate"]["condition"] == "service_completed_successfully"


def test_every_compose_command_exists_in_the_project(db):
    for service in COMPOSE["services"].values():
        for key in ("command", "entrypoint"):
            if key in service:
                for words in shell_commands(as_words(service[key])):
                    assert_runs_in_project(words)
        test = service.get("healthcheck", {}).get("test")
        if test:
            words = as_words(test)
            if words[0] in ("CMD", "CMD-SHELL"):
                words = words[1:] if words[0] == "CMD" else shlex.split(words[1])
            assert_runs_in_project(words)


def test_every_dockerfile_command_exists_in_the_project():
    dockerfile = (ROOT / "Dockerfile").read_text()
    for line in re.findall(r"^(?:RUN|CMD)\s+(.+)$", dockerfile, flags=re.M):
        words = yaml.safe_load(line) if line.startswith("[") else shlex.split(line)
        for simple in shell_commands(["sh", "-c", " ".join(words)]):
            if simple[0] == "pip":
                assert (ROOT / simple[-1]).exists(), simple
            elif simple[0] in {"useradd", "mkdir", "chown", "apt-get", "rm"}:
                continue
            else:
                assert_runs_in_project(simple)
    for path in re.findall(r"^COPY\s+(\S+)\s", dockerfile, flags=re.M):
        assert (ROOT / path).exists(), path
