"""A mixin for result dataclasses that replaced tuples (unpacking and indexing keep working)."""

from __future__ import annotations

from typing import Any


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
