"""Small pieces shared by ``sc.divergence`` and ``sc.stats``: argument checks that name the
argument, tuple-like results, and deprecated module attributes."""

from __future__ import annotations

import warnings
from collections.abc import Callable
from typing import Any

import numpy as np

from ..errors import ValidationError

__all__ = ["TupleLike", "check_level", "check_int", "check_choice", "renamed_attributes"]


class TupleLike:
    """``a, b = result`` and ``result[0]`` as for the tuple the function returned before.

    Subclasses list the unpacked fields, in order, in ``_unpack``.
    """

    _unpack: tuple[str, ...] = ()

    def __iter__(self):
        return iter(tuple(getattr(self, f) for f in self._unpack))

    def __getitem__(self, i: Any) -> Any:
        return tuple(self)[i]

    def __len__(self) -> int:
        return len(self._unpack)


def check_level(value: Any, name: str = "confidence_level") -> float:
    """A probability strictly between 0 and 1 (confidence levels, alpha)."""
    try:
        ok = not isinstance(value, (bool, np.bool_)) and 0 < float(value) < 1
    except (TypeError, ValueError):
        ok = False
    if not ok:
        raise ValidationError(f"`{name}`={value!r}; pass a value in (0, 1), e.g. 0.95")
    return float(value)


def check_int(value: Any, name: str, low: int = 1, none_ok: bool = False) -> int | None:
    """An integer ``>= low`` (``None`` passes when ``none_ok``)."""
    if value is None and none_ok:
        return None
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer)) \
            or value < low:
        raise ValidationError(f"`{name}`={value!r}; pass an integer >= {low}"
                              + (" or None" if none_ok else ""))
    return int(value)


def check_choice(value: Any, name: str, choices: tuple) -> str:
    """One of the option strings ``choices``."""
    if not isinstance(value, str) or value not in choices:
        raise ValidationError(f"`{name}`={value!r}; use one of {choices}")
    return value


def renamed_attributes(module: str, renamed: dict[str, tuple[str, Any]]) -> Callable[[str], Any]:
    """A module ``__getattr__`` serving old names ``{old: (new, obj)}`` with a warning."""

    def __getattr__(name: str) -> Any:
        if name in renamed:
            new, obj = renamed[name]
            warnings.warn(f"`{module}.{name}` is renamed `{new}`; the old name will be removed",
                          DeprecationWarning, stacklevel=2)
            return obj
        raise AttributeError(f"module {module!r} has no attribute {name!r}")

    return __getattr__
