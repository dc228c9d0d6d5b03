"""Configuration, read from the environment in this one place.

Every setting is a ``WEGWEISER_*`` environment variable (see the README);
everything else in the project receives a :class:`Settings` object or the
values it needs, and never reads the environment itself.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Literal
from zoneinfo import ZoneInfoNotFoundError

from pydantic import Field, ValidationError, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from bot.handover.hours import OfficeHours, parse_hours

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

    translation_dir: Path | None = Field(
        default=None, description="translation packages and argostranslate's files; default DATA_DIR/translation"
    )
    translation_index_url: str = Field(
        default="https://raw.githubusercontent.com/argosopentech/argospm-index/main/index.json",
        description="the Argos Translate package index that `wegweiser translate install` downloads from",
    )
    translation_cache_ttl_seconds: float = Field(
        default=30 * 24 * 3600, gt=0, description="keep a machine translation in the shared cache this long"
    )

    staff_session_hours: float = Field(default=8, gt=0, description="a staff sign-in lasts this long (a working day)")
    staff_cookie_secure: bool = Field(default=True, description="send the staff session cookie over HTTPS only")
    staff_login_attempts: int = Field(default=5, gt=0, description="failed sign-ins per account name in the window")
    staff_login_attempts_per_address: int = Field(
        default=20, gt=0, description="failed sign-ins from one address in the window (an office shares one address)"
    )
    staff_login_window_seconds: float = Field(default=900, gt=0, description="window of the sign-in limits")

    transcript_retention_days: float = Field(
        default=30, gt=0, description="handover tickets and transcripts are deleted this long after their last change"
    )
    handover_hours: str | None = Field(
        default=None, description="when counsellors answer, e.g. 'mon-thu 08:00-16:00, fri 08:00-12:00'"
    )
    handover_timezone: str = Field(default="Europe/Berlin", description="time zone of the handover hours")
    staff_telegram_chat_id: str | None = Field(
        default=None, description="Telegram chat (a staff group) told of each new handover ticket"
    )
    public_url: str | None = Field(
        default=None, description="the address staff open, e.g. https://wegweiser.example.org; used in notices"
    )

    @property
    def office_hours(self) -> OfficeHours | None:
        return parse_hours(self.handover_hours, self.handover_timezone) if self.handover_hours else None

    @property
    def model_dir(self) -> Path:
        return self.data_dir / "models"

    @property
    def translation_home(self) -> Path:
        return self.translation_dir or self.data_dir / "translation"

    @model_validator(mode="after")
    def _consistent(self) -> Settings:
        problems = list(_contradictions(self))
        if problems:
            raise ValueError("; ".join(problems))
        return self


def _contradictions(settings: Settings) -> Iterator[str]:
    """Every setting that is missing because of another one, named by its variable."""
    if settings.handover_hours:
        try:
            settings.office_hours  # noqa: B018 - parsing is the check
        except (ValueError, ZoneInfoNotFoundError) as error:
            yield f"WEGWEISER_HANDOVER_HOURS or WEGWEISER_HANDOVER_TIMEZONE: {error}"
    if settings.staff_telegram_chat_id and not settings.telegram_token:
        yield "WEGWEISER_STAFF_TELEGRAM_CHAT_ID is set but WEGWEISER_TELEGRAM_TOKEN is missing"
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
