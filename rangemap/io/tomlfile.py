"""The one TOML reader for users' files (scenarios, catalogs): every failure is a named error."""

from __future__ import annotations

import re
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


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def check_text(data, label: str, where: str = "") -> None:
    """Refuse control characters in every key and string of parsed user data (TOML, or the same shape from Python).

    NUL cuts text short in GIS files, terminal escapes (ESC, BEL) rewrite the
    screen a report is printed to, C0 characters make XML (KML) invalid, and
    bidirectional overrides reorder what a reader sees. Tabs and line breaks
    are allowed.

    Parameters
    ----------
    data : object
        Nested dicts, lists and scalars.
    label : str
        The file, for messages.
    where : str
        Position inside it (internal).

    Raises
    ------
    ScenarioError
        Naming the file, the field and the offending character.
    """
    if isinstance(data, str):
        bad = _CONTROL.search(data)
        if bad:
            raise ScenarioError(f"{label}: {where or 'value'}: control character {bad.group()!r} at position "
                                f"{bad.start()} is not allowed in text (got {data[:60]!r})")
    elif isinstance(data, dict):
        for key, value in data.items():
            check_text(key, label, f"{where + '.' if where else ''}<key>")
            check_text(value, label, f"{where + '.' if where else ''}{key}")
    elif isinstance(data, (list, tuple)):
        for i, value in enumerate(data):
            check_text(value, label, f"{where}[{i}]")


__all__ = ["check_text", "read_toml"]
