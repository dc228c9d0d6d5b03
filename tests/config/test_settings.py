"""Configuration is read and checked in one place; every contradiction is named by its variable."""

import os
import subprocess

import pytest

from bot.config import ConfigurationError, load_settings
from tests.conftest import PROJECT_ROOT, WEGWEISER


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for key in list(os.environ):
        if key.startswith("WEGWEISER_"):
            monkeypatch.delenv(key)


def test_defaults_use_the_embedded_store_and_engine() -> None:
    settings = load_settings()
    assert (settings.redis_url, settings.nlu_backend, str(settings.data_dir)) == (None, "embedded", "var")


def test_whatsapp_token_without_app_secret_is_named(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WEGWEISER_WHATSAPP_TOKEN", "token")
    monkeypatch.setenv("WEGWEISER_WHATSAPP_VERIFY_TOKEN", "verify")
    monkeypatch.setenv("WEGWEISER_WHATSAPP_PHONE_NUMBER_ID", "123")
    with pytest.raises(ConfigurationError, match="WEGWEISER_WHATSAPP_APP_SECRET is missing"):
        load_settings()


def test_every_problem_is_reported_in_one_message(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WEGWEISER_WHATSAPP_TOKEN", "token")
    monkeypatch.setenv("WEGWEISER_NLU_BACKEND", "rasa")
    with pytest.raises(ConfigurationError) as raised:
        load_settings()
    message = str(raised.value)
    for variable in ("WEGWEISER_RASA_URL", "WEGWEISER_WHATSAPP_APP_SECRET", "WEGWEISER_WHATSAPP_PHONE_NUMBER_ID"):
        assert variable in message


def test_an_invalid_value_names_its_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WEGWEISER_NLU_BACKEND", "gpt")
    with pytest.raises(ConfigurationError, match="WEGWEISER_NLU_BACKEND"):
        load_settings()


def test_telegram_secret_without_token_is_a_contradiction(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WEGWEISER_TELEGRAM_WEBHOOK_SECRET", "s3cret")
    with pytest.raises(ConfigurationError, match="WEGWEISER_TELEGRAM_TOKEN is missing"):
        load_settings()


def test_the_command_exits_non_zero_with_the_message(monkeypatch: pytest.MonkeyPatch) -> None:
    env = {key: value for key, value in os.environ.items() if not key.startswith("WEGWEISER_")}
    env["WEGWEISER_NLU_BACKEND"] = "rasa"
    result = subprocess.run(
        [*WEGWEISER, "content", "check"], env=env, cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 2
    assert "WEGWEISER_NLU_BACKEND=rasa needs WEGWEISER_RASA_URL" in result.stderr
    assert "Traceback" not in result.stderr
