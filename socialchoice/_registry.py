"""One registry type for every family (rules, welfare, bargaining, divergence, generate, stats,
axioms, jury, tradeoff).

Each family module holds one :class:`Registry` and exposes the same three functions, made by
:func:`family_api`: ``names(group=None, **meta)``, ``get(name)`` and ``info(name)``. Every
member can thus be listed, looked up by name or alias, and checked uniformly by the
conformance suite (``tests/test_conformance.py``).

Names are snake_case. A canonical name may appear in several families when it is the same idea
(``nash`` is a welfare function and a bargaining solution), but an *alias* never collides with
any name or alias of another family: ``maximin`` cannot mean a Condorcet rule in one family and
the egalitarian welfare function in another.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from .errors import UnknownNameError, ValidationError

__all__ = ["Entry", "Registry", "family_api", "all_registries", "lookup"]

#: every registry created, by family name (``"rules"``, ``"welfare"``, ...)
_REGISTRIES: dict[str, Registry] = {}


def lookup(family: str, name: str) -> Entry:
    """The :class:`Entry` ``name`` of ``family`` (``"rules"``, ``"welfare"``, ...), importing the
    family's module first if nobody has.

    The way a lower layer (``sc.xr``, ``sc.jury``, the CLI) reaches a family by name: through the
    registry, not by importing the family module, so that a family may itself use those layers
    (rules accept DataArrays through ``sc.xr``) without an import cycle.
    """
    if family not in _REGISTRIES:
        import importlib

        importlib.import_module(f"socialchoice.{family}")
    if family not in _REGISTRIES:
        raise UnknownNameError(f"unknown family {family!r}; known: {sorted(_REGISTRIES)}")
    return _REGISTRIES[family].info(name)


def all_registries() -> dict[str, Registry]:
    """The registries created so far, by family name (import the family modules first)."""
    return dict(_REGISTRIES)


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
        Group within the registry's family (e.g. ``"positional"``, ``"condorcet"`` for rules;
        ``"ordinal"`` for generators). The registry itself is the family.
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

    @property
    def group(self) -> str:
        """Same as :attr:`family` (the group within the registry)."""
        return self.family

    @property
    def summary(self) -> str:
        """First line of the function's docstring ('' under ``python -OO``)."""
        doc = getattr(self.func, "__doc__", None) or ""
        return doc.strip().splitlines()[0] if doc.strip() else ""


def _normalise(name: Any) -> Any:
    return name.strip().lower().replace("-", "_").replace(" ", "_") if isinstance(name, str) else name


class Registry:
    """Name -> :class:`Entry` with alias resolution and filtering.

    Parameters
    ----------
    kind : str
        Singular noun used in messages (``"rule"``, ``"welfare function"``).
    family : str, optional
        The family (module) name, unique across the package (``"rules"``); defaults to ``kind``.
    """

    def __init__(self, kind: str, family: str | None = None) -> None:
        self.kind = kind
        self.family = family or kind
        self._entries: dict[str, Entry] = {}
        self._alias: dict[str, str] = {}
        _REGISTRIES[self.family] = self

    def _check_alias_free(self, alias: str, key: str) -> None:
        if alias in self._alias and self._alias[alias] != key:
            raise ValidationError(f"{self.kind} name {alias!r} registered twice")
        if alias == key:
            return
        for fam, other in _REGISTRIES.items():
            if other is not self and alias in other._alias:
                raise ValidationError(
                    f"alias {alias!r} of {self.kind} {key!r} is already a {other.kind} name in "
                    f"family {fam!r}; aliases must not collide across families"
                )

    def register(self, name: str | None = None, *, aliases: tuple[str, ...] = (),
                 family: str = "", **meta: Any) -> Callable[[Callable], Callable]:
        """Decorator registering ``func`` under ``name`` (default its ``__name__``)."""

        def deco(func: Callable) -> Callable:
            key = name or func.__name__
            for k in (key, *aliases):
                self._check_alias_free(k, key)
            # a canonical name of this family must not already be another family's alias
            for fam, other in _REGISTRIES.items():
                if other is not self and key in other._alias and other._alias[key] != key:
                    raise ValidationError(
                        f"{self.kind} name {key!r} is an alias of {other.kind} "
                        f"{other._alias[key]!r} in family {fam!r}; pick another name"
                    )
            self._entries[key] = Entry(key, func, tuple(aliases), family, dict(meta))
            self._alias[key] = key
            for a in aliases:
                self._alias[a] = key
            return func

        return deco

    def add(self, name: str, func: Callable, **kwargs: Any) -> None:
        """Register ``func`` under ``name`` (non-decorator form)."""
        self.register(name, **kwargs)(func)

    def canonical(self, name: str) -> str:
        """The canonical name of ``name`` or of the alias ``name``."""
        key = _normalise(name)
        if not isinstance(key, str) or key not in self._alias:
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
        """Canonical names, optionally filtered by group and metadata equality."""
        out = []
        for e in self._entries.values():
            if family is not None and e.family != family:
                continue
            if any(e.meta.get(k) != v for k, v in meta.items()):
                continue
            out.append(e.name)
        return out

    def table(self):
        """A ``pandas.DataFrame``: one row per member (name, aliases, group, summary, metadata)."""
        import pandas as pd

        rows = [{"name": e.name, "aliases": ", ".join(e.aliases), "group": e.family,
                 "summary": e.summary, **{k: v for k, v in e.meta.items() if k != "claims"}}
                for e in self._entries.values()]
        return pd.DataFrame(rows).set_index("name") if rows else pd.DataFrame()

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

    def __repr__(self) -> str:
        return f"Registry({self.family!r}: {len(self)} {self.kind}s)"


def family_api(registry: Registry) -> tuple[Callable, Callable, Callable]:
    """The ``names``, ``get`` and ``info`` functions a family module exposes."""
    kind, fam = registry.kind, registry.family

    def names(group: str | None = None, **meta: Any) -> list[str]:
        return registry.names(group, **meta)

    def get(name: str) -> Callable[..., Any]:
        return registry.get(name)

    def info(name: str) -> Entry:
        return registry.info(name)

    names.__doc__ = (
        f"Canonical names of the registered {kind}s, optionally filtered by group and by "
        f"metadata equality (``names(needs='margins')``).\n\n"
        f"Examples\n--------\n>>> import socialchoice as sc\n"
        f">>> isinstance(sc.{fam}.names(), list)\nTrue\n"
    )
    get.__doc__ = f"The {kind} registered under ``name`` or one of its aliases."
    info.__doc__ = f"The registry :class:`~socialchoice._registry.Entry` of a {kind}: name, aliases, group, metadata."
    for f, n in ((names, "names"), (get, "get"), (info, "info")):
        f.__qualname__ = n
        f.__module__ = f"socialchoice.{fam}"
    return names, get, info
