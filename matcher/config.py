"""The one settings class. Every knob comes from the environment (prefix ``MATCHER_``)."""

from __future__ import annotations

from datetime import date
from functools import lru_cache
from pathlib import Path

from pydantic import Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEVELOPMENT_SECRET = "dev-only-change-me-in-production-0123456789abcdef"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="MATCHER_", env_file=".env", env_file_encoding="utf-8", extra="ignore"
    )

    # "production" refuses to start with the development secret key (or a short one).
    env: str = Field(default="development", description="development, test or production")
    database_url: str = Field(
        default=f"sqlite:///{PROJECT_ROOT / 'var' / 'matcher.db'}",
        description="SQLAlchemy URL; the default is an SQLite file under the project folder.",
    )
    secret_key: SecretStr = Field(
        default=SecretStr(DEVELOPMENT_SECRET),
        description="Signs access tokens. Set MATCHER_SECRET_KEY in any real deployment.",
    )
    access_token_minutes: int = 60 * 8
    # The business day is Indonesian Western Time. MATCHER_TODAY pins "today" (demos, tests).
    timezone: str = "Asia/Jakarta"
    today: date | None = None
    # Upload limits (catalogue import files, photos).
    max_upload_bytes: int = 20 * 1024 * 1024
    # Default page size for list endpoints.
    page_size: int = 50
    max_page_size: int = 500
    # Idempotency-Key: a completed response is replayed for this long, then the key may be
    # used again (and the record is purged); an unfinished first request older than the stale
    # limit is taken as abandoned (its process died), so a retry is not refused forever.
    idempotency_retention_hours: int = Field(default=24, ge=1)
    idempotency_stale_seconds: int = Field(default=300, ge=1)

    @model_validator(mode="after")
    def _production_needs_a_secret(self) -> Settings:
        if self.env.strip().lower() == "production":
            secret = self.secret_key.get_secret_value()
            if secret == DEVELOPMENT_SECRET or len(secret) < 32:
                raise ValueError(
                    "MATCHER_ENV=production needs MATCHER_SECRET_KEY: a random secret of at "
                    "least 32 characters, not the development default"
                )
        return self


@lru_cache
def get_settings() -> Settings:
    return Settings()
