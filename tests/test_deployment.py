"""docker-compose.yml cannot run here (no Docker engine), so it is checked as a file: its
services are the real ones, and every environment variable it sets is one the settings read."""

import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
COMPOSE = ROOT / "docker-compose.yml"


def settings_variables() -> set[str]:
    text = (ROOT / "alisvest" / "settings.py").read_text()
    return set(re.findall(r'env(?:\.\w+)?\(\s*"([A-Z_]+)"', text))


def test_compose_has_the_services_with_health_checks():
    compose = yaml.safe_load(COMPOSE.read_text())
    services = compose["services"]
    assert set(services) == {"db", "redis", "web", "worker", "beat"}
    assert services["db"]["image"] == "postgres:16"
    for name in ["db", "redis", "web", "worker"]:
        assert "healthcheck" in services[name], name
    assert "migrate" in services["web"]["command"]
    assert "gunicorn" in services["web"]["command"]
    assert "worker" in services["worker"]["command"]
    assert "beat" in services["beat"]["command"]
    assert {"pgdata", "redisdata", "media"} <= set(compose["volumes"])


def test_compose_sets_only_settings_that_exist():
    compose = yaml.safe_load(COMPOSE.read_text())
    known = settings_variables()
    for name in ["web", "worker", "beat"]:
        unknown = set(compose["services"][name]["environment"]) - known
        assert not unknown, f"{name} sets variables the settings never read: {unknown}"


def test_env_example_names_only_settings_that_exist():
    names = set(re.findall(r"^#? ?([A-Z_]+)=", (ROOT / ".env.example").read_text(), re.M))
    assert names - settings_variables() == set()


@pytest.mark.skipif(not shutil.which("docker-compose"), reason="docker-compose not installed")
def test_docker_compose_accepts_the_file():
    result = subprocess.run(
        ["docker-compose", "-f", str(COMPOSE), "config", "-q"],
        capture_output=True,
        text=True,
        env={"SECRET_KEY": "x", "PATH": "/usr/bin:/bin"},
    )
    assert result.returncode == 0, result.stderr
