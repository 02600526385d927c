"""The theatre registry: which pairs of states Détente follows, their names, neighbours and knowledge base.

The shipped ``data/registry.yaml`` lists the Asian theatres (decision 066); a user adds more in a file
of the same layout (``load_registry(extra=PATH)``). Each theatre has an ``id`` (``A-B``, its two states
in order), a ``name`` and ``aliases``, the two ``states`` (ISO3), the ``actors`` of interest around them
(ISO3 or an organisation code of :func:`detente.ontology.organisations`), a ``region``, the folder of
its knowledge base (``kb``, if any) and the ``codes`` a source uses for a state when they differ from
its ISO3 (Taiwan: ``TAW``/713 in COW, 713 in UCDP, ``Taiwan`` in ICEWS). A pair, id, name or alias
appears once across both files. A bad file fails with a :class:`RegistryError` naming the file, the
theatre and the field.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from ..ontology import countries, organisations

__all__ = ["Registry", "RegistryError", "Theatre", "load_registry", "registry_path"]

_FIELDS = {"id", "name", "aliases", "states", "actors", "region", "kb", "codes"}
_REQUIRED = ("id", "name", "states", "region")


class RegistryError(ValueError):
    """A registry file that does not follow the layout."""


@dataclass(frozen=True)
class Theatre:
    """One theatre of the registry."""

    id: str
    name: str
    states: tuple[str, str]
    region: str
    aliases: tuple[str, ...] = ()
    actors: tuple[str, ...] = ()
    kb: Path | None = None
    codes: dict[str, dict[str, str]] = field(default_factory=dict)

    @property
    def pair(self) -> tuple[str, str]:
        """The two states in alphabetical order (the dyad key of :func:`detente.theatres.find_theatres`)."""
        a, b = sorted(self.states)
        return a, b

    def names(self) -> tuple[str, ...]:
        """Every text that names the theatre: id, both orders of the pair, name and aliases."""
        a, b = self.states
        return (self.id, f"{b}-{a}", self.name, *self.aliases)


@dataclass(frozen=True)
class Registry:
    """The theatres in file order (shipped first, then the user's)."""

    theatres: tuple[Theatre, ...]

    def ids(self) -> tuple[str, ...]:
        return tuple(t.id for t in self.theatres)

    def get(self, text: str) -> Theatre:
        """The theatre named by ``text`` (id in either order, name or alias; case- and dash-insensitive)."""
        key = _key(text)
        for t in self.theatres:
            if key in (_key(n) for n in t.names()):
                return t
        raise RegistryError(f"unknown theatre {text!r}: use one of {', '.join(self.ids())}")


def _key(name: str) -> str:
    """``name`` as compared: trimmed, case-folded, en and em dashes read as hyphens (India–Pakistan)."""
    return name.strip().casefold().replace("\u2013", "-").replace("\u2014", "-")


def registry_path() -> Path:
    """The shipped registry file."""
    return Path(str(resources.files(__package__).joinpath("data", "registry.yaml")))


def _kb_root() -> Path:
    return Path(str(resources.files("detente.kb").joinpath("data")))


def load_registry(extra: Path | None = None) -> Registry:
    """The shipped registry, plus the theatres of ``extra`` (same layout; its ``kb`` folders are relative to it)."""
    files = [(registry_path(), _kb_root())] + ([(extra, extra.parent)] if extra is not None else [])
    theatres: list[Theatre] = []
    seen: dict[str, str] = {}
    for path, kb_base in files:
        for t in _read(path, kb_base):
            for key in dict.fromkeys(["-".join(t.pair), *(_key(n) for n in t.names())]):
                if key in seen:
                    raise RegistryError(f"{path.name}: theatre {t.id} repeats {seen[key]} ({key!r})")
                seen[key] = t.id
            theatres.append(t)
    return Registry(tuple(theatres))


def _read(path: Path, kb_base: Path) -> list[Theatre]:
    import yaml  # PyYAML

    try:
        doc = yaml.safe_load(path.read_text("utf-8"))
    except OSError as exc:
        raise RegistryError(f"{path}: cannot read ({exc.strerror})") from None
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise RegistryError(f"{path.name}: not a YAML file ({str(exc).splitlines()[0]})") from None
    if not isinstance(doc, dict) or not isinstance(doc.get("theatres"), list):
        raise RegistryError(f"{path.name}: expected a top-level 'theatres:' list")
    out = []
    for n, entry in enumerate(doc["theatres"], start=1):
        where = f"{path.name}: theatre {n}"
        if isinstance(entry, dict) and isinstance(entry.get("id"), str):
            where += f" ({entry['id']})"
        try:
            out.append(_theatre(entry, kb_base))
        except RegistryError as exc:
            raise RegistryError(f"{where}: {exc}") from None
    return out


def _theatre(entry: Any, kb_base: Path) -> Theatre:
    if not isinstance(entry, dict):
        raise RegistryError("expected a mapping of fields")
    if unknown := sorted(set(map(str, entry)) - _FIELDS):
        raise RegistryError(f"unknown field(s) {', '.join(unknown)}; fields are {', '.join(sorted(_FIELDS))}")
    for name in _REQUIRED:
        if name not in entry:
            raise RegistryError(f"missing field '{name}'")
    states = _codes(entry["states"], "states", _iso3())
    if len(states) != 2 or states[0] == states[1]:
        raise RegistryError(f"field 'states' must name two different states, not {list(states)}")
    if entry["id"] != f"{states[0]}-{states[1]}":
        raise RegistryError(f"field 'id' must be {states[0]}-{states[1]} (the states in order), not {entry['id']!r}")
    return Theatre(
        id=entry["id"],
        name=_text(entry["name"], "name"),
        states=(states[0], states[1]),
        region=_text(entry["region"], "region"),
        aliases=tuple(_text(a, "aliases") for a in _list(entry.get("aliases", []), "aliases")),
        actors=_codes(entry.get("actors", []), "actors", _iso3() | _orgs()),
        kb=_kb(entry.get("kb"), kb_base),
        codes=_source_codes(entry.get("codes", {}), states),
    )


def _text(value: Any, name: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise RegistryError(f"field '{name}' must be non-empty text, not {value!r}")
    return value.strip()


def _list(value: Any, name: str) -> list[Any]:
    if not isinstance(value, list):
        raise RegistryError(f"field '{name}' must be a list, not {value!r}")
    return value


def _codes(value: Any, name: str, known: set[str]) -> tuple[str, ...]:
    codes = tuple(_text(v, name) for v in _list(value, name))
    if bad := [c for c in codes if c not in known]:
        raise RegistryError(f"field '{name}': unknown code(s) {', '.join(bad)} (ISO3 or an ontology organisation code)")
    return codes


def _kb(value: Any, base: Path) -> Path | None:
    if value is None:
        return None
    folder = (base / _text(value, "kb")).resolve()
    if not folder.is_dir():
        raise RegistryError(f"field 'kb': no folder {folder}")
    return folder


def _source_codes(value: Any, states: tuple[str, ...]) -> dict[str, dict[str, str]]:
    if not isinstance(value, dict):
        raise RegistryError(f"field 'codes' must map a state to its source codes, not {value!r}")
    out: dict[str, dict[str, str]] = {}
    for state, by_source in value.items():
        if state not in states:
            raise RegistryError(f"field 'codes': {state!r} is not one of the theatre's states")
        if not isinstance(by_source, dict) or not by_source:
            raise RegistryError(f"field 'codes': {state} must map sources to codes")
        out[state] = {str(k): _text(str(v), f"codes.{state}.{k}") for k, v in by_source.items()}
    return out


def _iso3() -> set[str]:
    return set(countries().column("iso3").to_pylist())


def _orgs() -> set[str]:
    return {o for o in organisations().column("org").to_pylist() if o}
