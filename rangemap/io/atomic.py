"""Atomic file output: a write either completes or leaves the previous file as it was.

Every output rangemap writes (maps, reports, GIS exports, static figures) goes
through :func:`atomic_output`: the data is written to a temporary file in the
target's own folder (same file system), flushed to disk, and moved over the
target with ``os.replace``, which is atomic on POSIX and Windows. An error or a
Ctrl-C before that point removes the temporary file and leaves the target
untouched.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path
from typing import Callable

from rangemap.errors import InvalidInputError


def same_file(a: Path | str, b: Path | str) -> bool:
    """Whether two paths name the same file (following links), for files that exist or not.

    Parameters
    ----------
    a, b : path-like

    Returns
    -------
    bool
    """
    a, b = Path(a), Path(b)
    try:
        if a.exists() and b.exists():
            return os.path.samefile(a, b)
    except OSError:
        pass
    return a.resolve() == b.resolve()


def check_output_path(path: Path | str, inputs=()) -> Path:
    """Refuse an output path that is one of the inputs or an existing folder.

    Parameters
    ----------
    path : path-like
        Where an output will be written.
    inputs : iterable of path-like
        Files this run reads (scenario, catalog, launch files).

    Returns
    -------
    pathlib.Path

    Raises
    ------
    InvalidInputError
        Naming the output and the input it would overwrite; also for a folder,
        a symbolic link or anything that is not a regular file.
    """
    path = Path(path)
    if path.is_symlink():
        raise InvalidInputError(f"output {str(path)!r} is a symbolic link; give the file it points to, or a new name")
    if path.is_dir():
        raise InvalidInputError(f"output {str(path)!r} is a folder; give a file name")
    if path.exists() and not path.is_file():
        # A device, pipe or socket: replacing it with a plain file would break it (/dev/null, a FIFO).
        raise InvalidInputError(f"output {str(path)!r} is not a regular file (a device, pipe or socket); "
                                "use '-o -' for standard output, or give a file name")
    for source in inputs:
        if source and same_file(path, source):
            raise InvalidInputError(f"output {str(path)!r} is an input of this run ({str(source)!r}); "
                                    "refusing to overwrite it")
    return path


@contextlib.contextmanager
def atomic_output(path: Path | str):
    """Yield a temporary path beside ``path``; on success it replaces ``path`` atomically.

    Parameters
    ----------
    path : path-like
        The final file. Its folder is created if missing.

    Yields
    ------
    pathlib.Path
        Write the whole output here (the name keeps ``path``'s suffix, so
        drivers that choose a format by extension still work).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> target = pathlib.Path(tempfile.mkdtemp()) / "x.txt"
    >>> with atomic_output(target) as tmp:
    ...     _ = tmp.write_text("hello")
    >>> target.read_text()
    'hello'
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=f".part{path.suffix}", dir=path.parent)
    os.close(fd)
    tmp = Path(name)
    try:
        tmp.unlink()  # writers such as GDAL want to create the file themselves
        yield tmp
        with open(tmp, "rb+") as fh:
            os.fsync(fh.fileno())
        if path.exists():
            # Keep the permissions the previous file had (mkstemp makes 0600).
            os.chmod(tmp, path.stat().st_mode & 0o7777)
        else:
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise


def atomic_write(path: Path | str, write_fn: Callable[[Path], None]) -> Path:
    """Call ``write_fn(tmp)`` to write the whole output to a temporary path, then move it over ``path``.

    Parameters
    ----------
    path : path-like
    write_fn : callable
        Takes the temporary path (with ``path``'s suffix) and writes the file there.

    Returns
    -------
    pathlib.Path
    """
    with atomic_output(path) as tmp:
        write_fn(tmp)
    return Path(path)


def write_text_atomic(path: Path | str, text: str) -> Path:
    """Write text (UTF-8) to a file atomically.

    Parameters
    ----------
    path : path-like
    text : str

    Returns
    -------
    pathlib.Path
    """
    with atomic_output(path) as tmp:
        tmp.write_text(text, encoding="utf-8")
    return Path(path)


def write_bytes_atomic(path: Path | str, data: bytes) -> Path:
    """Write bytes to a file atomically.

    Parameters
    ----------
    path : path-like
    data : bytes

    Returns
    -------
    pathlib.Path
    """
    with atomic_output(path) as tmp:
        tmp.write_bytes(data)
    return Path(path)


__all__ = ["atomic_output", "atomic_write", "check_output_path", "same_file", "write_bytes_atomic", "write_text_atomic"]
