"""Optional parts, the ecosystem's way: a heavy library is imported on first use, and a missing one
fails with the pip line that installs it.

``pip install detente`` reads, stores and queries events (Ibis and DuckDB, pandas, pyarrow, the
command line). The rest comes with an extra (``pyproject.toml``): ``report`` (charts, HTML and PDF),
``forecast`` (the statistical and machine-learning models), ``api`` (the web server), ``spark`` and
``bigquery`` (engines), ``all``. :data:`EXTRAS` says which extra brings each library.
"""

from __future__ import annotations

from importlib import import_module
from types import ModuleType

__all__ = ["EXTRAS", "MissingExtraError", "require"]

#: the extra that installs each optional top-level module
EXTRAS: dict[str, str] = {
    "altair": "report",
    "jinja2": "report",
    "vl_convert": "report",
    "weasyprint": "report",
    "lifelines": "forecast",
    "lightgbm": "forecast",
    "ruptures": "forecast",
    "scipy": "forecast",
    "statsmodels": "forecast",
    "fastapi": "api",
    "uvicorn": "api",
}


class MissingExtraError(ImportError):
    """An optional library is not installed; the message names the extra and the pip line."""


def require(module: str) -> ModuleType:
    """``module`` imported, or :class:`MissingExtraError` saying which extra installs it.

    >>> require("jinja2").__name__
    'jinja2'
    """
    try:
        return import_module(module)
    except ImportError as exc:
        root = module.split(".")[0]
        extra = EXTRAS.get(root)
        if extra is None or (exc.name or "").split(".")[0] != root:
            raise  # not optional, or the library is there but broken: the original error says more
        raise MissingExtraError(
            f"{root} is not installed; it comes with the {extra!r} extra: pip install 'detente[{extra}]'"
        ) from exc
