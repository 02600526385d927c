"""A command group that imports a command's module only when that command is asked for.

The group lists its commands from a table (name -> module of :mod:`detente.cli`, one-line help),
so ``detente --help`` imports none of them. A command runs from its module's ``app``: the command
of that name, or, for a sub-group such as ``analyze``, the module's whole ``app``.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from importlib import import_module
from typing import TYPE_CHECKING, Any, ClassVar

import typer
from typer.core import TyperCommand, TyperGroup

if TYPE_CHECKING:
    from typer._click import Context  # the context type the group methods take (typer.Context is one)

__all__ = ["LazyGroup", "load"]


@cache
def _group(module: str) -> TyperGroup:
    """The click group of :mod:`detente.cli.<module>`'s ``app``, built once."""
    return typer.main.get_group(import_module(f"detente.cli.{module}").app)


def load(module: str, name: str) -> Any:
    """The command ``name`` of :mod:`detente.cli.<module>` (its whole group if it has no such command)."""
    group = _group(module)
    return group.commands.get(name, group)


class _Unloaded(TyperCommand):
    """Stands for a command not imported yet: its name and one-line help only."""


class LazyGroup(TyperGroup):
    """A typer group whose commands in :attr:`lazy` load on first use; help lists them unloaded."""

    #: command name -> (module under detente.cli, one-line help)
    lazy: ClassVar[Mapping[str, tuple[str, str]]] = {}
    _listing = False

    def __init__(self, **attrs: Any) -> None:
        super().__init__(**attrs)
        for name, (_, help_text) in self.lazy.items():
            self.commands.setdefault(name, _Unloaded(name=name, help=help_text))

    def get_command(self, ctx: Context, cmd_name: str) -> Any:
        """The command, imported on first use (while the help is written, the stand-in does)."""
        command = self.commands.get(cmd_name)
        if isinstance(command, _Unloaded) and not self._listing:
            self.commands[cmd_name] = command = load(self.lazy[cmd_name][0], cmd_name)
        return command

    def format_help(self, ctx: Context, formatter: Any) -> None:
        """The group's help, listing the lazy commands by their table help (nothing imported)."""
        self._listing = True
        try:
            super().format_help(ctx, formatter)
        finally:
            self._listing = False
