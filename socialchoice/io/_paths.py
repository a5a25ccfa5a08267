"""Path checks shared by the readers and writers: a directory where a file is expected is a
:class:`~socialchoice.errors.ValidationError` naming the path, a missing file a
``FileNotFoundError`` naming it (docs/conventions.md §6), never a bare ``IsADirectoryError``."""

from __future__ import annotations

import os
from typing import Any

from ..errors import ValidationError

__all__ = ["input_file", "output_file", "check_column"]


def input_file(path: Any, what: str = "file") -> str:
    """``path`` as a string after checking that it names an existing regular file."""
    p = os.fspath(path)
    if os.path.isdir(p):
        raise ValidationError(f"{p!r} is a directory; pass a {what} (a path to a file inside it)")
    if not os.path.exists(p):
        raise FileNotFoundError(f"no such file: {p!r}")
    return p


def output_file(path: Any, what: str = "file") -> str:
    """``path`` as a string after checking that it can name a file to write."""
    p = os.fspath(path)
    if os.path.isdir(p):
        raise ValidationError(f"{p!r} is a directory; pass a {what} name to write (e.g. "
                              f"{os.path.join(p, 'out')!r})")
    parent = os.path.dirname(os.path.abspath(p))
    if not os.path.isdir(parent):
        raise FileNotFoundError(f"cannot write {p!r}: the directory {parent!r} does not exist")
    return p


def check_column(name: Any, arg: str, *, optional: bool = False) -> None:
    """A column-name argument must be a hashable label (a str, usually)."""
    if name is None and optional:
        return
    try:
        hash(name)
    except TypeError:
        raise ValidationError(f"`{arg}` must be one column name, got {name!r}") from None
