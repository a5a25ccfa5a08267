"""Renamed parameters: the old spelling keeps working for one release with a warning."""

from __future__ import annotations

import functools
import warnings
from collections.abc import Callable
from typing import Any

from .errors import ValidationError

__all__ = ["renamed_parameters"]


def renamed_parameters(**old_to_new: str) -> Callable[[Callable], Callable]:
    """Decorator: accept ``old=`` for ``new=`` with a ``DeprecationWarning`` (CHANGELOG lists it).

    >>> @renamed_parameters(agg="reduce")
    ... def f(*, reduce="mean"):
    ...     return reduce
    >>> import warnings
    >>> with warnings.catch_warnings():
    ...     warnings.simplefilter("ignore")
    ...     f(agg="sum")
    'sum'
    """

    def deco(func: Callable) -> Callable:
        @functools.wraps(func)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            for old, new in old_to_new.items():
                if old in kwargs:
                    if new in kwargs:
                        raise ValidationError(f"pass `{new}` only (`{old}` is its old name)")
                    warnings.warn(f"`{old}=` is renamed `{new}=`; the old name will be removed",
                                  DeprecationWarning, stacklevel=2)
                    kwargs[new] = kwargs.pop(old)
            return func(*args, **kwargs)

        return wrapper

    return deco
