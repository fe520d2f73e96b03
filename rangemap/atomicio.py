"""Atomic file writes: a temporary file in the same folder, then ``os.replace``.

A reader (or a second run, or another dask worker writing the same cache entry)
sees either the old file or the whole new one, never a half-written file.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Callable


def write_atomically(path: Path | str, write: Callable[[Path], None]) -> Path:
    """Have ``write(tmp_path)`` write a file, then move it onto ``path`` in one step.

    Parameters
    ----------
    path : path-like
        The file to create or replace; its folder is created if missing.
    write : callable
        Called with a temporary path in the same folder (same suffix as ``path``,
        so that writers which pick a format by suffix pick the right one).

    Returns
    -------
    pathlib.Path
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.stem}.", suffix=f".tmp{path.suffix}", dir=path.parent)
    os.close(fd)
    tmp_path = Path(tmp)
    try:
        tmp_path.unlink()  # some writers (GDAL) refuse to overwrite a file that exists
        write(tmp_path)
        os.replace(tmp_path, path)
    except BaseException:
        tmp_path.unlink(missing_ok=True)
        raise
    return path


def write_bytes_atomically(path: Path | str, data: bytes) -> Path:
    """Write bytes to ``path`` atomically (see :func:`write_atomically`)."""
    return write_atomically(path, lambda tmp: tmp.write_bytes(data))


def write_text_atomically(path: Path | str, text: str) -> Path:
    """Write UTF-8 text to ``path`` atomically (see :func:`write_atomically`)."""
    return write_atomically(path, lambda tmp: tmp.write_text(text, encoding="utf-8"))


__all__ = ["write_atomically", "write_bytes_atomically", "write_text_atomically"]
