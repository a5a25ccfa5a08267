"""Write a report into a directory atomically: a temporary sibling directory, renamed at the end."""

from __future__ import annotations

import json
import contextlib
import os
import shutil
import tempfile
from typing import Any

from ..errors import ValidationError

__all__ = ["write_report", "write_files", "check_out", "OUR_FILES"]

#: The files a report directory holds (an existing directory with anything else is refused).
OUR_FILES = ("index.html", "report.json", "summary.md")


def _json_default(o: Any) -> Any:
    import numpy as np

    if isinstance(o, np.generic):
        return o.item()
    if isinstance(o, np.ndarray):
        return o.tolist()
    return str(o)


def check_out(out: str, *, allowed: tuple[str, ...] = OUR_FILES) -> None:
    """Refuse an output path that cannot hold the report, before any work is done.

    ``out`` may be new, empty, or a previous report (only the ``allowed`` names inside); its
    parent must exist and be writable.
    """
    if os.path.exists(out) and not os.path.isdir(out):
        raise ValidationError(f"--out {out}: is a file; pass a directory for the report")
    if os.path.isdir(out):
        extra = sorted(set(os.listdir(out)) - set(allowed))
        if extra:
            raise ValidationError(f"--out {out}: the directory holds other files ({extra[0]}); "
                                  "pass a new or empty directory, or a previous report's")
    parent = os.path.dirname(os.path.abspath(out)) or "."
    if not os.path.isdir(parent):
        raise ValidationError(f"--out {out}: the parent directory {parent} does not exist")
    if not os.access(parent, os.W_OK | os.X_OK):
        raise ValidationError(f"--out {out}: cannot write into {parent} (permission denied); "
                              "pass a writable directory")


def write_files(rep: dict, folder: str, *, formats: tuple[str, ...] = ("html", "json", "md"),
                plots: bool | None = None) -> dict[str, str]:
    """Write the report's files into an existing ``folder``; returns ``{format: name}``."""
    from ._html import render_html
    from ._markdown import render_markdown

    names = {}
    if "json" in formats:
        with open(os.path.join(folder, "report.json"), "w", encoding="utf-8") as fh:
            json.dump(rep, fh, indent=1, default=_json_default, ensure_ascii=False,
                      allow_nan=False)
        names["json"] = "report.json"
    if "md" in formats:
        with open(os.path.join(folder, "summary.md"), "w", encoding="utf-8") as fh:
            fh.write(render_markdown(rep))
        names["md"] = "summary.md"
    if "html" in formats:
        with open(os.path.join(folder, "index.html"), "w", encoding="utf-8") as fh:
            fh.write(render_html(rep, plots=plots))
        names["html"] = "index.html"
    return names


def partial_dir(out: str) -> str:
    """A fresh hidden directory next to ``out`` to write into before the final rename."""
    parent = os.path.dirname(out)
    try:
        return tempfile.mkdtemp(prefix=f".{os.path.basename(out)}.partial-", dir=parent)
    except OSError as exc:
        raise ValidationError(f"--out {out}: cannot create a directory in {parent} "
                              f"({exc.strerror or exc})") from None


@contextlib.contextmanager
def atomic_dir(out: str):
    """Write into a fresh hidden directory next to ``out`` and move it into place only when the
    block succeeds (an interrupted run leaves nothing that looks complete)."""
    tmp = partial_dir(out)
    try:
        yield tmp
        os.chmod(tmp, 0o755)
        if os.path.isdir(out):
            shutil.rmtree(out)
        os.rename(tmp, out)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


def write_report(rep: dict, out: str, *, formats: tuple[str, ...] = ("html", "json", "md"),
                 plots: bool | None = None) -> dict[str, str]:
    """Write ``index.html``, ``report.json`` and ``summary.md`` (as asked) into ``out``.

    Everything goes into a temporary directory next to ``out`` first; ``out`` is replaced only
    when every file is written, so an interrupted run never leaves a half-written report that
    looks complete. Returns ``{format: path}``.
    """
    out = os.path.abspath(os.fspath(out))
    check_out(out)
    with atomic_dir(out) as tmp:
        names = write_files(rep, tmp, formats=formats, plots=plots)
    return {k: os.path.join(out, v) for k, v in names.items()}
