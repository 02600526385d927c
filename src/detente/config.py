"""Settings, read from the environment (``DETENTE_*``)."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

import platformdirs
from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

__all__ = ["Settings", "settings"]


class Settings(BaseSettings):
    """Détente configuration; every field can be set as ``DETENTE_<NAME>``."""

    model_config = SettingsConfigDict(env_prefix="DETENTE_")

    home: Path = Field(
        default_factory=lambda: Path(platformdirs.user_data_dir("detente")),
        description="Store directory (Parquet tree + DuckDB file).",
    )
    backend: Literal["duckdb", "pyspark"] = "duckdb"


def settings() -> Settings:
    """Current settings (re-read from the environment on every call)."""
    return Settings()
