"""Configuration, read from the environment in this one place.

Every setting is a ``WEGWEISER_*`` environment variable (see the README);
everything else in the project receives a :class:`Settings` object or the
values it needs, and never reads the environment itself.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field
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

    @property
    def model_dir(self) -> Path:
        return self.data_dir / "models"
