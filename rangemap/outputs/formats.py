"""The output formats: each registered once, with its extensions, its commands, whether it is text, its writer.

This module is the one owner of those decisions. The CLI's ``--format``
choices, the format a file name's extension implies, the extension check and
the "standard output for text formats only" rule all read :data:`FORMATS`;
adding a format is one :class:`OutputFormat` entry here.

A format serves one or more *kinds* of output: ``map`` (``rangemap render``),
``export`` (``rangemap export``) and ``report`` (``rangemap report``). Each
writer takes the scenario's result, the path and the render options it knows
(``offline``, ``width_px``, ``dpi``; others are ignored) and writes atomically.
This module is light (no folium, matplotlib or GDAL): writers import what they
need when they are called, so the CLI can build its choices quickly.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

from rangemap.errors import InvalidInputError

COMMAND_KINDS = ("map", "export", "report")
STDOUT = "-"


@dataclass(frozen=True)
class OutputFormat:
    """One output format.

    Attributes
    ----------
    name : str
        What ``--format`` takes.
    label : str
        The format's name for people, in messages.
    extensions : tuple of str
        Lower-case, with the dot; the first is the default one.
    kinds : tuple of str
        Which of :data:`COMMAND_KINDS` it serves.
    binary : str or None
        ``None`` for a text format (it may go to standard output); else why not,
        as a phrase ("a PNG is binary").
    write : callable
        ``write(result, path, **options) -> pathlib.Path``, atomic.
    text : callable or None
        ``text(result, **options) -> str`` where the format is made as text
        without a file; text formats without one are written to a temporary file.
    """

    name: str
    label: str
    extensions: tuple[str, ...]
    kinds: tuple[str, ...]
    binary: str | None
    write: Callable[..., Path]
    text: Callable[..., str] | None = None


def _html(result, path: Path, *, offline: bool = False, **_options: Any) -> Path:
    from rangemap.outputs.page import write_map

    return write_map(result, path, offline=offline)


def _html_text(result, *, offline: bool = False, **_options: Any) -> str:
    from rangemap.outputs.page import render_html

    return render_html(result, offline=offline)


def _static(fmt: str) -> Callable[..., Path]:
    def write(result, path: Path, *, width_px: int | None = None, dpi: float | None = None, **_options: Any) -> Path:
        from rangemap.outputs.static import static_map

        return static_map(result, path, fmt=fmt, width_px=width_px, dpi=dpi)

    return write


def _export(fmt: str) -> Callable[..., Path]:
    def write(result, path: Path, **_options: Any) -> Path:
        from rangemap.outputs.writers import export

        return export(result, path, fmt)

    return write


def _geojson_text(result, **_options: Any) -> str:
    from rangemap.outputs.geojson import geojson_text
    from rangemap.outputs.writers import result_geojson

    return geojson_text(result_geojson(result))


def _report_text(fmt: str) -> Callable[..., str]:
    def text(result, **_options: Any) -> str:
        from rangemap.outputs.report import format_report

        return format_report(result, fmt)

    return text


def _report(fmt: str) -> Callable[..., Path]:
    def write(result, path: Path, **options: Any) -> Path:
        from rangemap.io.atomic import write_text_atomic

        return write_text_atomic(path, _report_text(fmt)(result, **options))

    return write


_ALL = (
    OutputFormat("html", "HTML", (".html", ".htm"), ("map",), None, _html, _html_text),
    OutputFormat("png", "PNG", (".png",), ("map",), "a PNG is binary", _static("png")),
    OutputFormat("svg", "SVG", (".svg",), ("map",), None, _static("svg")),
    OutputFormat("pdf", "PDF", (".pdf",), ("map",), "a PDF is binary", _static("pdf")),
    OutputFormat("geojson", "GeoJSON", (".geojson", ".json"), ("export",), None, _export("geojson"), _geojson_text),
    OutputFormat("gpkg", "GeoPackage", (".gpkg",), ("export",), "a GeoPackage is a binary database",
                 _export("gpkg")),
    OutputFormat("kml", "KML", (".kml",), ("export",), None, _export("kml")),
    OutputFormat("table", "text table", (".txt",), ("report",), None, _report("table"), _report_text("table")),
    OutputFormat("markdown", "Markdown", (".md", ".markdown"), ("report",), None, _report("markdown"),
                 _report_text("markdown")),
    OutputFormat("csv", "CSV", (".csv",), ("report",), None, _report("csv"), _report_text("csv")),
    OutputFormat("json", "JSON", (".json",), ("report",), None, _report("json"), _report_text("json")),
)
FORMATS: dict[str, OutputFormat] = {f.name: f for f in _ALL}


def format_names(kind: str) -> tuple[str, ...]:
    """The names of the formats that serve one kind of output, in registry order.

    Parameters
    ----------
    kind : {"map", "export", "report"}

    Returns
    -------
    tuple of str

    Examples
    --------
    >>> format_names("export")
    ('geojson', 'gpkg', 'kml')
    """
    return tuple(f.name for f in _ALL if kind in f.kinds)


def is_stdout(path: Path | str | None) -> bool:
    """Whether an output path means standard output (``-``).

    Examples
    --------
    >>> is_stdout("-"), is_stdout("map.html"), is_stdout(None)
    (True, False, False)
    """
    return path is not None and str(path) == STDOUT


def format_from_extension(kind: str, path: Path | str) -> OutputFormat:
    """The format of ``kind`` a file name's extension names (``.json`` is GeoJSON for an export, JSON for a report).

    Parameters
    ----------
    kind : {"map", "export", "report"}
    path : path-like

    Returns
    -------
    OutputFormat

    Raises
    ------
    InvalidInputError
        When no format of that kind has the extension.

    Examples
    --------
    >>> format_from_extension("map", "out/a.PNG").name, format_from_extension("report", "r.json").name
    ('png', 'json')
    """
    suffix = Path(path).suffix.lower()
    for name in format_names(kind):
        if suffix in FORMATS[name].extensions:
            return FORMATS[name]
    known = ", ".join(e for n in format_names(kind) for e in FORMATS[n].extensions)
    raise InvalidInputError(f"output {str(path)!r}: cannot tell the format from the extension {suffix or '(none)'!r}; "
                            f"use one of {known}, or give --format")


def check_extension(fmt: OutputFormat, path: Path | str) -> Path:
    """Refuse a file name whose extension is not one of the format's (programs that open the file go by it).

    Parameters
    ----------
    fmt : OutputFormat
    path : path-like

    Returns
    -------
    pathlib.Path

    Raises
    ------
    InvalidInputError
        Naming the file and the extensions the format takes.
    """
    path = Path(path)
    if path.suffix.lower() not in fmt.extensions:
        raise InvalidInputError(f"output {str(path)!r}: a {fmt.label} file needs the extension "
                                f"{' or '.join(fmt.extensions)} (programs that open it go by it)")
    return path


def output_format(kind: str, path: Path | str | None = None, name: str | None = None) -> OutputFormat:
    """The format of an output: the one named, else the one the file's extension names; checked against both.

    Parameters
    ----------
    kind : {"map", "export", "report"}
    path : path-like, optional
        The output file; ``-`` for standard output (text formats only); ``None``
        when the file is not named yet (nothing to check).
    name : str, optional
        A format's name (case does not matter). Without it, the extension decides.

    Returns
    -------
    OutputFormat

    Raises
    ------
    InvalidInputError
        For an unknown format, a file name without the format's extension, or a
        binary format on standard output.

    Examples
    --------
    >>> output_format("map", "a.svg").name, output_format("report", None, "csv").name
    ('svg', 'csv')
    """
    if name is None:
        if path is None or is_stdout(path):
            raise InvalidInputError(f"give the {kind} format: there is no file name to tell it from")
        return format_from_extension(kind, path)
    wanted = name.lower()
    if wanted not in FORMATS or kind not in FORMATS[wanted].kinds:
        raise InvalidInputError(f"unknown {kind} format {name!r}; choose one of {', '.join(format_names(kind))}")
    fmt = FORMATS[wanted]
    if is_stdout(path):
        _check_text(fmt)
    elif path is not None:
        check_extension(fmt, path)
    return fmt


def _check_text(fmt: OutputFormat) -> None:
    """Refuse a binary format on standard output, saying why."""
    if fmt.binary:
        raise InvalidInputError(f"--output -: {fmt.binary} and cannot go to standard output; give a file name")


def output_text(fmt: OutputFormat, result, **options: Any) -> str:
    """A text format's whole output as a string (for standard output).

    Parameters
    ----------
    fmt : OutputFormat
        A text format (``fmt.binary`` is None).
    result : ScenarioResult
    **options
        Render options (``offline``, ``width_px``, ``dpi``).

    Returns
    -------
    str
    """
    _check_text(fmt)
    if fmt.text is not None:
        return fmt.text(result, **options)
    # Formats only their library writes (SVG, KML): write to a private folder and read the file back.
    with tempfile.TemporaryDirectory() as folder:
        path = fmt.write(result, Path(folder) / f"out{fmt.extensions[0]}", **options)
        return Path(path).read_text(encoding="utf-8")


def write_output(fmt: OutputFormat, result, path: Path | str, **options: Any) -> Path:
    """Write one output file atomically in a format.

    Parameters
    ----------
    fmt : OutputFormat
    result : ScenarioResult
    path : path-like
        Its extension must be one of the format's.
    **options
        Render options (``offline``, ``width_px``, ``dpi``).

    Returns
    -------
    pathlib.Path
    """
    return fmt.write(result, check_extension(fmt, path), **options)


__all__ = ["COMMAND_KINDS", "FORMATS", "OutputFormat", "check_extension", "format_from_extension", "format_names",
           "is_stdout", "output_format", "output_text", "write_output"]
