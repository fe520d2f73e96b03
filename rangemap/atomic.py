"""Atomic file writes: a file is either its old self or completely new, never half written.

Every writer goes through :func:`atomic_write`: the content is written to a
temporary file in the target's own folder (so the final ``os.replace`` is a
rename on one file system, which POSIX and Windows make atomic), flushed to
disk, and renamed over the target. If writing fails or is interrupted
(including ``KeyboardInterrupt``), the temporary file is removed and the
previous file, if any, is left as it was.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Callable


def _new_file_mode(path: Path) -> int:
    """Permission bits for the file that replaces ``path``: its current ones, else 0o666 less the umask."""
    try:
        return path.stat().st_mode & 0o7777
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def atomic_write(path: Path | str, write_fn: Callable[[Path], None]) -> Path:
    """Write a file atomically through a function that writes to a path it is given.

    Parameters
    ----------
    path : path-like
        The file to create or replace. Missing parent folders are created.
    write_fn : callable
        Called once with the temporary file's path (same folder, same suffix as
        ``path``, so writers that choose a format by suffix choose the right one);
        it must write the whole content there.

    Returns
    -------
    pathlib.Path
        ``path``.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> target = pathlib.Path(tempfile.mkdtemp()) / "a.txt"
    >>> atomic_write(target, lambda tmp: tmp.write_text("hello")).read_text()
    'hello'
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=f".tmp{path.suffix}")
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        write_fn(tmp)
        with open(tmp, "rb+") as written:
            os.fsync(written.fileno())
        os.chmod(tmp, _new_file_mode(path))
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return path


def write_bytes_atomic(path: Path | str, data: bytes) -> Path:
    """Write bytes to a file atomically (see :func:`atomic_write`).

    Parameters
    ----------
    path : path-like
    data : bytes

    Returns
    -------
    pathlib.Path
    """
    return atomic_write(path, lambda tmp: tmp.write_bytes(data))


def write_text_atomic(path: Path | str, text: str, encoding: str = "utf-8") -> Path:
    """Write text to a file atomically (see :func:`atomic_write`).

    Parameters
    ----------
    path : path-like
    text : str
    encoding : str, optional

    Returns
    -------
    pathlib.Path
    """
    return atomic_write(path, lambda tmp: tmp.write_text(text, encoding=encoding))


__all__ = ["atomic_write", "write_bytes_atomic", "write_text_atomic"]
