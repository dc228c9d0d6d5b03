"""Configuration, read from the environment in this one place.

Every setting is a ``WEGWEISER_*`` environment variable (see the README);
everything else in the project receives a :class:`Settings` object or the
values it needs, and never reads the environment itself.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Literal

from pydantic import Field, ValidationError, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CONTENT_DIR = PROJECT_ROOT / "content" / "data"
DEFAULT_NLU_DATA_DIR = PROJECT_ROOT / "nlu" / "data"


class Settings(BaseSettings):
    """All settings of one Wegweiser process."""

    model_config = SettingsConfigDict(env_prefix="WEGWEISER_", extra="ignore")

    data_dir: Path = Field(default=Path("./var"), description="embedded store, models and logs")
    content_dir: Path = Field(default=DEFAULT_CONTENT_DIR, description="the content store's YAML files")
    nlu_data_dir: Path = Field(default=DEFAULT_NLU_DATA_DIR, description="NLU training data and config.yml")

    redis_url: str | None = None
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    log_key: str | None = Field(default=None, description="key of the pseudonyms in logs; made once if unset")
    conversation_ttl_seconds: float = Field(default=7 * 24 * 3600, gt=0, description="forget a silent conversation")

    nlu_backend: Literal["embedded", "rasa"] = "embedded"
    rasa_url: str | None = None
    rasa_timeout_seconds: float = 2.0

    telegram_token: str | None = None
    telegram_webhook_secret: str | None = None
    telegram_api_url: str = "https://api.telegram.org"
    telegram_mode: Literal["webhook", "polling"] | None = None

    whatsapp_token: str | None = None
    whatsapp_app_secret: str | None = None
    whatsapp_verify_token: str | None = None
    whatsapp_phone_number_id: str | None = None
    whatsapp_api_url: str = "https://graph.facebook.com/v21.0"

    telegram_webhook_url: str | None = Field(
        default=None, description="public URL of /telegram/webhook; registered with setWebhook at start when set"
    )
    whatsapp_template_name: str | None = Field(
        default=None, description="approved message template sent outside WhatsApp's 24-hour window"
    )
    whatsapp_template_languages: str = Field(
        default="de", description="comma-separated languages the template is approved in; the first is the fallback"
    )

    @property
    def model_dir(self) -> Path:
        return self.data_dir / "models"

    @model_validator(mode="after")
    def _consistent(self) -> Settings:
        problems = list(_contradictions(self))
        if problems:
            raise ValueError("; ".join(problems))
        return self


def _contradictions(settings: Settings) -> Iterator[str]:
    """Every setting that is missing because of another one, named by its variable."""
    if settings.nlu_backend == "rasa" and not settings.rasa_url:
        yield "WEGWEISER_NLU_BACKEND=rasa needs WEGWEISER_RASA_URL"
    if settings.whatsapp_token:
        for name in ("whatsapp_app_secret", "whatsapp_verify_token", "whatsapp_phone_number_id"):
            if not getattr(settings, name):
                yield f"WEGWEISER_WHATSAPP_TOKEN is set but WEGWEISER_{name.upper()} is missing"
    if settings.telegram_token and settings.telegram_mode == "webhook" and not settings.telegram_webhook_secret:
        yield "WEGWEISER_TELEGRAM_MODE=webhook needs WEGWEISER_TELEGRAM_WEBHOOK_SECRET"
    if not settings.telegram_token and settings.telegram_webhook_secret:
        yield "WEGWEISER_TELEGRAM_WEBHOOK_SECRET is set but WEGWEISER_TELEGRAM_TOKEN is missing"


class ConfigurationError(Exception):
    """The environment does not describe a runnable configuration."""


def load_settings() -> Settings:
    """The settings of this process, or one :class:`ConfigurationError` naming every wrong variable."""
    try:
        return Settings()
    except ValidationError as invalid:
        problems = []
        for error in invalid.errors():
            if error["loc"]:
                variable = f"WEGWEISER_{str(error['loc'][0]).upper()}"
                problems.append(f"{variable}: {error['msg']}")
            else:
                problems.append(error["msg"].removeprefix("Value error, "))
        raise ConfigurationError("invalid configuration: " + "; ".join(problems)) from None
