"""Settings, read from the environment (``DETENTE_*``)."""

from __future__ import annotations

from pathlib import Path

import platformdirs
from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

__all__ = ["Settings", "settings"]


class Settings(BaseSettings):
    """Détente configuration; every field can be set as ``DETENTE_<NAME>``."""

    model_config = SettingsConfigDict(env_prefix="DETENTE_")

    home: Path = Field(
        default_factory=lambda: Path(platformdirs.user_data_dir("detente")),
        description="Store directory (Parquet tree + DuckDB file).",
    )
    backend: str = Field(
        default="duckdb",
        validate_default=False,  # the default needs no parsing, and parsing imports Ibis (detente sources)
        description="Engine of the events queries: a store engine of detente.backends.ENGINES (or an alias).",
    )
    lock_wait: float = Field(
        default=10.0, description="Seconds a writer waits for another process's write before it gives up."
    )
    spark_master: str = Field(
        default="local[2]", description="Spark master URL: local[N] (loopback only) or a cluster's URL."
    )
    spark_conf: dict[str, str] = Field(
        default_factory=dict,
        description='Extra Spark settings as JSON, e.g. {"spark.driver.memory": "6g"}.',
    )

    @field_validator("backend", mode="before")
    @classmethod
    def _engine_name(cls, value: object) -> object:
        """A store engine's name in any case, or an alias (``spark``): :func:`detente.backends.store_engine`."""
        from .backends import store_engine  # imports Ibis: only when an engine is named

        return store_engine(value).name if isinstance(value, str) else value


def settings() -> Settings:
    """Current settings (re-read from the environment on every call)."""
    return Settings()
