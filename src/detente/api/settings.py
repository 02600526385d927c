"""API settings from the environment (``DETENTE_API_*``); read when the app is created, never at import."""

from __future__ import annotations

import os
from pathlib import Path

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

__all__ = ["ApiSettings"]


class ApiSettings(BaseSettings):
    """REST API configuration.

    ``token``: without one the API is read-only and ``POST /api/ingest`` is refused; with one, ingest
    needs ``Authorization: Bearer <token>``. ``ingest_dirs``: folders (``os.pathsep``-separated) whose
    files may be ingested through the API; any other path is refused.
    """

    model_config = SettingsConfigDict(env_prefix="DETENTE_API_")

    token: SecretStr | None = Field(default=None, description="bearer token that enables POST /api/ingest")
    ingest_dirs: str = Field(default="", description="folders the ingest endpoint may read, os.pathsep-separated")
    max_limit: int = Field(default=1000, ge=1, le=100_000, description="largest page of events")

    def allowed_dirs(self) -> list[Path]:
        """The ingest folders, resolved (missing ones are left out)."""
        dirs = [Path(p).expanduser() for p in self.ingest_dirs.split(os.pathsep) if p.strip()]
        return [d.resolve() for d in dirs if d.is_dir()]
