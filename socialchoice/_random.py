"""The one resolver of random-number arguments.

Every public function that draws random numbers takes ``rng=`` (generators also accept the
older ``seed=`` spelling) and passes it through :func:`resolve_rng`. It accepts exactly what
:func:`numpy.random.default_rng` accepts: ``None``, an int, a sequence of ints, a
``SeedSequence``, a ``BitGenerator`` or a ``Generator`` (returned as is, so that a caller's
stream continues). Global random state is never touched.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .errors import ValidationError

__all__ = ["resolve_rng", "RNGLike"]

RNGLike = Any  # None | int | Sequence[int] | SeedSequence | BitGenerator | Generator


def resolve_rng(rng: RNGLike = None, *, seed: RNGLike = None, name: str = "rng") -> np.random.Generator:
    """A ``numpy.random.Generator`` from ``rng`` (or the legacy ``seed``), never both.

    >>> bool(resolve_rng(0).integers(10) == resolve_rng(0).integers(10))
    True
    >>> g = np.random.default_rng(1); resolve_rng(g) is g
    True
    """
    if seed is not None:
        if rng is not None:
            raise ValidationError("pass either `seed` or `rng`, not both (they mean the same)")
        rng, name = seed, "seed"
    if isinstance(rng, np.random.Generator):
        return rng
    if isinstance(rng, (bool, np.bool_)) or isinstance(rng, float):
        raise ValidationError(
            f"`{name}`={rng!r} is not a seed; pass None, a non-negative int, a SeedSequence "
            "or a numpy.random.Generator"
        )
    if isinstance(rng, np.random.RandomState):
        raise ValidationError(
            f"`{name}` is a legacy numpy.random.RandomState; pass "
            "numpy.random.default_rng(seed) or an int seed instead"
        )
    try:
        return np.random.default_rng(rng)
    except (TypeError, ValueError) as exc:
        raise ValidationError(
            f"`{name}`={rng!r} is not a seed ({exc}); pass None, a non-negative int, a "
            "SeedSequence or a numpy.random.Generator"
        ) from None
