"""API settings from the environment (``DETENTE_API_*``); read when the app is created, never at import."""

from __future__ import annotations

import os
from pathlib import Path

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

__all__ = ["ApiSettings"]


class ApiSettings(BaseSettings):
    """REST API configuration.

    ``token``: without one (unset, empty or blank) the API is read-only and ``POST /api/ingest`` is
    refused; with one, ingest needs ``Authorization: Bearer <token>``. ``ingest_dirs``: folders
    (``os.pathsep``-separated) whose files may be ingested through the API; any other path is refused.
    ``readers``: stores open for concurrent reads; ``job_*``: the queue of expensive results (briefs,
    forecasts, claims, bargaining), see :mod:`detente.api.jobs`.
    """

    model_config = SettingsConfigDict(env_prefix="DETENTE_API_")

    token: SecretStr | None = Field(default=None, description="bearer token that enables POST /api/ingest")
    ingest_dirs: str = Field(default="", description="folders the ingest endpoint may read, os.pathsep-separated")
    max_limit: int = Field(default=1000, ge=1, le=100_000, description="largest page of events")
    readers: int = Field(default=4, ge=1, le=32, description="stores open for reads at the same time")
    job_workers: int = Field(default=1, ge=1, le=8, description="threads computing briefs, forecasts, claims")
    job_queue: int = Field(default=8, ge=1, le=64, description="jobs queued or running at most (503 beyond)")
    job_per_client: int = Field(default=4, ge=1, le=64, description="pending jobs per client at most (429 beyond)")
    job_wait: float = Field(default=120.0, ge=0, le=3600, description="seconds a request waits for its job (202 after)")

    @field_validator("token", mode="before")
    @classmethod
    def _blank_is_none(cls, value: object) -> object:
        """An empty or blank ``DETENTE_API_TOKEN`` means no token (read-only), never an empty password."""
        if isinstance(value, SecretStr):
            value = value.get_secret_value()
        return None if isinstance(value, str) and not value.strip() else value

    def allowed_dirs(self) -> list[Path]:
        """The ingest folders, resolved (missing ones are left out)."""
        dirs = [Path(p).expanduser() for p in self.ingest_dirs.split(os.pathsep) if p.strip()]
        return [d.resolve() for d in dirs if d.is_dir()]
