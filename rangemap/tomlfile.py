"""The one TOML reader for users' files (scenarios, catalogs): every failure is a named error."""

from __future__ import annotations

import tomllib
from pathlib import Path

from rangemap.errors import ScenarioError

MAX_TOML_BYTES = 16 * 1024 * 1024


def read_toml(path: Path | str, what: str = "file") -> dict:
    """Read a TOML file written by a user.

    Parameters
    ----------
    path : path-like
    what : str
        What the file is ("scenario file", "catalog"), for messages.

    Returns
    -------
    dict

    Raises
    ------
    ScenarioError
        Naming the file and what is wrong: missing, a folder, unreadable,
        too large, not UTF-8 (with the byte offset) or not valid TOML.
    """
    label = str(path)
    try:
        with open(path, "rb") as fh:
            raw = fh.read(MAX_TOML_BYTES + 1)
    except FileNotFoundError:
        raise ScenarioError(f"{label}: {what} not found") from None
    except IsADirectoryError:
        raise ScenarioError(f"{label}: {what} is a folder, not a file") from None
    except OSError as exc:
        raise ScenarioError(f"{label}: cannot read {what}: {exc.strerror or exc}") from None
    if len(raw) > MAX_TOML_BYTES:
        raise ScenarioError(f"{label}: {what} is larger than {MAX_TOML_BYTES // 2**20} MiB; is it the right file?")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ScenarioError(f"{label}: not valid TOML: not UTF-8 text (byte {exc.start}: "
                            f"{raw[exc.start:exc.start + 1]!r})") from None
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ScenarioError(f"{label}: not valid TOML: {exc}") from None


__all__ = ["read_toml"]
