"""Lazy package attributes: a package lists its public names and the submodule of each, and a name's
submodule is imported on first use (PEP 562), so importing the package stays cheap."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from importlib import import_module
from typing import Any

__all__ = ["lazy_getattr"]


def lazy_getattr(package: str, names: Mapping[str, str]) -> Callable[[str], Any]:
    """A module ``__getattr__`` for ``package``: ``names`` maps each public name to ``"module"`` or ``"module:attr"``.

    >>> getattr_ = lazy_getattr("detente.kb", {"timeline_path": "tables", "rows": "tables:load"})
    >>> getattr_("rows").__name__
    'load'
    >>> getattr_("nothing")
    Traceback (most recent call last):
    AttributeError: module 'detente.kb' has no attribute 'nothing'
    """

    def __getattr__(name: str) -> Any:
        if name not in names:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        module, _, attr = names[name].partition(":")
        return getattr(import_module(f".{module}", package), attr or name)

    return __getattr__
