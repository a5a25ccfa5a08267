"""A small registry of named, documented callables with metadata.

One instance per family (rules, welfare functions, divergences, axioms), so that every entry
can be listed, looked up by name or alias, and checked uniformly.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from .errors import UnknownNameError

__all__ = ["Entry", "Registry"]


@dataclass(frozen=True)
class Entry:
    """One registered callable.

    Attributes
    ----------
    name : str
        Canonical snake_case name.
    func : callable
        The public function.
    aliases : tuple of str
        Other names that resolve to this entry.
    family : str
        Sub-family (e.g. ``"positional"``, ``"condorcet"``, ``"metric"``).
    meta : dict
        Free-form metadata: input kind, resoluteness, claimed axioms, oracle name, ...
    """

    name: str
    func: Callable[..., Any]
    aliases: tuple[str, ...] = ()
    family: str = ""
    meta: dict[str, Any] = field(default_factory=dict)

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return self.func(*args, **kwargs)


class Registry:
    """Name -> :class:`Entry` with alias resolution and filtering."""

    def __init__(self, kind: str) -> None:
        self.kind = kind
        self._entries: dict[str, Entry] = {}
        self._alias: dict[str, str] = {}

    def register(self, name: str | None = None, *, aliases: tuple[str, ...] = (),
                 family: str = "", **meta: Any) -> Callable[[Callable], Callable]:
        """Decorator registering ``func`` under ``name`` (default its ``__name__``)."""

        def deco(func: Callable) -> Callable:
            key = name or func.__name__
            for k in (key, *aliases):
                if k in self._alias and self._alias[k] != key:
                    raise ValueError(f"{self.kind} name {k!r} registered twice")
            self._entries[key] = Entry(key, func, tuple(aliases), family, dict(meta))
            self._alias[key] = key
            for a in aliases:
                self._alias[a] = key
            return func

        return deco

    def add(self, name: str, func: Callable, **kwargs: Any) -> None:
        self.register(name, **kwargs)(func)

    def canonical(self, name: str) -> str:
        key = name.strip().lower().replace("-", "_").replace(" ", "_") if isinstance(name, str) else name
        if key not in self._alias:
            import difflib

            close = difflib.get_close_matches(str(key), list(self._alias), n=3)
            hint = f"; did you mean {', '.join(map(repr, close))}?" if close else ""
            raise UnknownNameError(
                f"unknown {self.kind} {name!r}{hint} (see names() for the {len(self._entries)} known)"
            )
        return self._alias[key]

    def info(self, name: str) -> Entry:
        return self._entries[self.canonical(name)]

    def get(self, name: str) -> Callable[..., Any]:
        return self.info(name).func

    def names(self, family: str | None = None, **meta: Any) -> list[str]:
        """Canonical names, optionally filtered by family and metadata equality."""
        out = []
        for e in self._entries.values():
            if family is not None and e.family != family:
                continue
            if any(e.meta.get(k) != v for k, v in meta.items()):
                continue
            out.append(e.name)
        return out

    def __contains__(self, name: object) -> bool:
        try:
            self.canonical(name)  # type: ignore[arg-type]
            return True
        except UnknownNameError:
            return False

    def __iter__(self) -> Iterator[Entry]:
        return iter(list(self._entries.values()))

    def __len__(self) -> int:
        return len(self._entries)
