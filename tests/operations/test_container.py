"""The container files, checked without a container engine (none runs here)."""

import shutil
import subprocess
import sys
from pathlib import Path

import yaml

from tests.conftest import PROJECT_ROOT

HADOLINT = shutil.which("hadolint") or str(Path(sys.executable).with_name("hadolint"))


def test_dockerfile_passes_hadolint() -> None:
    result = subprocess.run([HADOLINT, str(PROJECT_ROOT / "Dockerfile")], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stdout + result.stderr


def test_dockerfile_runs_as_non_root_with_a_healthcheck_on_healthz() -> None:
    text = (PROJECT_ROOT / "Dockerfile").read_text()
    assert "USER 10001" in text
    assert "HEALTHCHECK" in text and "/healthz" in text
    assert "nlu train" in text


def test_compose_runs_two_workers_on_redis_behind_one_port() -> None:
    compose = yaml.safe_load((PROJECT_ROOT / "compose.yaml").read_text())
    services = compose["services"]
    workers = [name for name in services if name.startswith("worker-")]
    assert len(workers) == 2
    assert all(services[name]["environment"]["WEGWEISER_REDIS_URL"].startswith("redis://") for name in workers)
    published = [service for service in services.values() if service.get("ports")]
    assert len(published) == 1


def test_compose_has_an_optional_rasa_profile_trained_from_the_same_data() -> None:
    rasa = yaml.safe_load((PROJECT_ROOT / "compose.yaml").read_text())["services"]["rasa"]
    assert rasa["profiles"] == ["rasa"]
    assert "nlu/config.yml" in " ".join(rasa["command"])
