"""The ``rangemap`` command: subcommands over the library, nothing more.

User errors (bad scenario, unknown name, bad number) exit with status 2 and a
one-line reason on stderr, never a traceback.
"""

from __future__ import annotations

import re
import sys
import webbrowser
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Optional

import typer

from rangemap.errors import RangemapError
from rangemap.outputs.formats import FORMATS, OutputFormat, format_names, is_stdout, output_format

# Plain click messages (rich_markup_mode=None): a usage error is "Usage: ..." plus one "Error: ..." line.
app = typer.Typer(add_completion=False, no_args_is_help=True, pretty_exceptions_enable=False, rich_markup_mode=None,
                  help="Exact geodesic range maps on the WGS84 ellipsoid.")

ScenarioArg = typer.Argument(None, help="Scenario TOML file; the default scenario (ATACMS, November 2024) if left out.",
                             show_default=False)


def _choices(kind: str) -> type[Enum]:
    """The ``--format`` choices of one kind of output, straight from the format registry."""
    return Enum(f"{kind.title()}Format", {name: name for name in format_names(kind)}, type=str)  # type: ignore[return-value]


def _text_formats(kind: str) -> list[str]:
    """The formats of one kind that may go to standard output."""
    return [name for name in format_names(kind) if not FORMATS[name].binary]


if TYPE_CHECKING:  # the choices exist only at run time, built from the registry
    ReportFormat = Enum
    MapFormat = Enum
    ExportFormat = Enum
else:
    ReportFormat = _choices("report")
    MapFormat = _choices("map")
    ExportFormat = _choices("export")
_SAFE_STEM = re.compile(r"[^\w.-]+")


def _fail(message: str) -> None:
    typer.echo(f"rangemap: error: {message}", err=True)
    raise typer.Exit(2)


def safe_stem(name: str, fallback: str = "map") -> str:
    """A file name stem from a scenario's name: letters, digits, ``-``, ``_``, ``.``; never hidden or empty.

    Parameters
    ----------
    name : str
    fallback : str

    Returns
    -------
    str

    Examples
    --------
    >>> safe_stem("../../evil"), safe_stem(""), safe_stem("atacms-2024")
    ('evil', 'map', 'atacms-2024')
    """
    stem = _SAFE_STEM.sub("-", name).strip(".-")[:100].strip(".-")
    return stem or fallback


def _default_output(result, suffix: str, quiet: bool) -> Path:
    name = result.scenario.name
    stem = safe_stem(name)
    if stem != name and not quiet:
        typer.echo(f"… scenario name {name[:80]!r} is not a safe file name; using {stem!r}", err=True)
    return Path("out") / f"{stem}{suffix}"


def _check_output(output: Path, result=None, extra_inputs=()) -> Path:
    from rangemap.io.atomic import check_output_path

    inputs = list(result.scenario.inputs) if result is not None else []
    return check_output_path(output, [*inputs, *extra_inputs])


def _format(kind: str, output: Optional[Path], chosen: Optional[Enum], default: str) -> OutputFormat:
    """The output's format: ``--format``, else the one ``-o``'s extension names, else the default (no file named)."""
    if chosen is not None:
        return output_format(kind, output, chosen.value)
    if output is None or is_stdout(output):
        return output_format(kind, output, default)
    return output_format(kind, output)


def _write(fmt: OutputFormat, result, output: Optional[Path], **options) -> None:
    """One output to standard output (``-o -`` or no ``-o``) or atomically to a file, whose path is printed."""
    from rangemap.outputs.formats import output_text, write_output

    if output is None or is_stdout(output):
        typer.echo(output_text(fmt, result, **options), nl=False)
        return
    typer.echo(str(write_output(fmt, result, _check_output(output, result), **options).resolve()))


def _progress(quiet: bool):
    return None if quiet else (lambda message: typer.echo(f"… {message}", err=True))


def _load(scenario: Optional[Path], quiet: bool, output: Optional[Path] = None):
    """Load the scenario and refuse an output file that is one of its inputs (before any format check)."""
    from rangemap.model.scenario import load_scenario

    say = _progress(quiet)
    if say:
        say(f"loading scenario {scenario or '(default)'}")
    loaded = load_scenario(scenario)
    if output is not None and not is_stdout(output):
        _check_output(output, None, [*loaded.inputs, *([scenario] if scenario else [])])
    return loaded


def _prepare(kind: str, scenario: Optional[Path], quiet: bool, output: Optional[Path], chosen: Optional[Enum],
             default: str) -> tuple:
    """The loaded scenario and the output's format, refusing a bad output before anything is computed.

    Standard output's rule (text formats only) needs no scenario, so it is checked first; a file is first
    checked against the scenario's inputs (naming the input it would overwrite), then against its format.
    """
    if output is None or is_stdout(output):
        fmt = _format(kind, output, chosen, default)
        return _load(scenario, quiet, output), fmt
    _check_output(output, None, [scenario] if scenario else [])  # a folder, a link, the scenario: before loading it
    loaded = _load(scenario, quiet, output)
    return loaded, _format(kind, output, chosen, default)


def _run(loaded, quiet: bool):
    from rangemap.model.results import run_scenario

    return run_scenario(loaded, progress=_progress(quiet))


@app.command()
def render(scenario: Optional[Path] = ScenarioArg,
           output: Optional[Path] = typer.Option(None, "-o", "--output", help="File to write [default: "
                                                 "out/<scenario name>[-offline].<format>]; '-' for standard output "
                                                 f"({', '.join(_text_formats('map'))})."),
           fmt: Optional[MapFormat] = typer.Option(None, "--format", "-f", help="html: the interactive map; png, "
                                                   "svg, pdf: the static map for publication [default: the one "
                                                   "the -o file's extension names, else html]."),
           offline: bool = typer.Option(False, "--offline", help="HTML: one self-contained file, no tiles, "
                                        "no network."),
           width_px: Optional[int] = typer.Option(None, "--width", min=300, max=20_000,
                                                  help="Static map width in pixels [default: 1600]."),
           dpi: Optional[float] = typer.Option(None, "--dpi", min=30, max=1200,
                                               help="Static map resolution, for print [default: 160]."),
           open_: bool = typer.Option(False, "--open", help="Open the map in a browser."),
           quiet: bool = typer.Option(False, "-q", "--quiet", help="No progress messages.")):
    """Render the scenario's map and print its path: interactive HTML, or a static PNG / SVG / PDF."""
    loaded, chosen = _prepare("map", scenario, quiet, output, fmt, "html")
    result = _run(loaded, quiet)
    if not quiet:
        typer.echo("… drawing the map", err=True)
    suffix = ("-offline" if offline and chosen.name == "html" else "") + chosen.extensions[0]
    path = output or _default_output(result, suffix, quiet)
    _write(chosen, result, path, offline=offline, width_px=width_px, dpi=dpi)
    if open_ and not is_stdout(path):
        webbrowser.open(Path(path).resolve().as_uri())


@app.command()
def report(scenario: Optional[Path] = ScenarioArg,
           fmt: Optional[ReportFormat] = typer.Option(None, "--format", "-f", help="Output format [default: the one "
                                                      "the -o file's extension names, else table]."),
           output: Optional[Path] = typer.Option(None, "-o", "--output", help="File to write [default: standard "
                                                 "output]."),
           quiet: bool = typer.Option(False, "-q", "--quiet", help="No progress messages.")):
    """Print footprints, region coverage and places in range."""
    loaded, chosen = _prepare("report", scenario, quiet, output, fmt, "table")
    _write(chosen, _run(loaded, quiet), output)


@app.command()
def export(scenario: Optional[Path] = ScenarioArg,
           fmt: ExportFormat = typer.Option(..., "--format", "-f", help="GIS format."),
           output: Path = typer.Option(..., "-o", "--output", help="File to write."),
           quiet: bool = typer.Option(False, "-q", "--quiet", help="No progress messages.")):
    """Export footprints, launch geometry, regions and places (each feature with kind and id).

    ``-o -`` writes GeoJSON or KML to standard output; a GeoPackage needs a file.
    """
    loaded, chosen = _prepare("export", scenario, quiet, output, fmt, "geojson")
    _write(chosen, _run(loaded, quiet), output)


@app.command()
def weapons(catalog: Optional[Path] = typer.Option(None, "--catalog", help="A user catalog TOML to merge in.")):
    """List the weapon catalog: id, range and the source to cite."""
    from rangemap.data.catalog import load_catalog

    if catalog is not None and not str(catalog).strip():
        _fail("--catalog: give a file name")
    for w in load_catalog(catalog).values():
        approx = "~" if w.approximate else " "
        typer.echo(f"{w.id:14s} {approx}{w.range_km:7g} km  {w.name}  [{', '.join(w.launchers)}]")
        typer.echo(f"{'':24s}source: {w.source}")


@app.command()
def regions(country: Optional[str] = typer.Option(None, "--country", help="Only this country (name or ISO code).")):
    """List admin-1 regions (name, ISO 3166-2 code, country)."""
    from rangemap.data import gazetteer

    table = gazetteer.region_table()
    if country is not None and not country.strip():
        _fail("--country: give a country name or ISO code, got an empty string")
    if country:
        code = gazetteer.country(country).adm0_a3
        table = table[table.adm0_a3 == code]
    for row in table.sort_values(["country", "name"]).itertuples():
        typer.echo(f"{row.iso_3166_2 or '-':10s} {row.name}  ({row.country})")


@app.command()
def footprint(lon: float = typer.Option(..., "--lon", help="Longitude, degrees."),
              lat: float = typer.Option(..., "--lat", help="Latitude, degrees."),
              range_km: float = typer.Option(..., "--range-km", help="Range, km."),
              tolerance_m: float = typer.Option(1.0, "--tolerance-m", help="Error bound, metres."),
              output: Optional[Path] = typer.Option(None, "-o", "--output", help="GeoJSON file [default: stdout].")):
    """One footprint around a point, as RFC 7946 GeoJSON, with its measured error."""
    import math

    import shapely

    from rangemap.geodesy.accuracy import footprint_error
    from rangemap.geodesy.footprints import footprint as make_footprint
    from rangemap.io.atomic import write_text_atomic
    from rangemap.outputs.formats import FORMATS, check_extension
    from rangemap.outputs.geojson import geojson_text, round_coordinates
    from rangemap.outputs.writers import footprint_geojson

    for option, value in (("--lon", lon), ("--lat", lat), ("--range-km", range_km), ("--tolerance-m", tolerance_m)):
        if not math.isfinite(value):
            _fail(f"{option} must be a finite number, got {value!r}")
    if not range_km > 0:
        _fail(f"--range-km must be a number > 0, got {range_km:g}")
    site = shapely.Point(lon, lat)
    if output is not None and not is_stdout(output):
        check_extension(FORMATS["geojson"], _check_output(output))
    # The error is measured on the geometry as written (rounded to GeoJSON's decimals).
    geometry = round_coordinates(make_footprint(site, range_km * 1000.0, tolerance_m=tolerance_m))
    error = footprint_error(geometry, site, range_km * 1000.0)
    text = geojson_text(footprint_geojson(site, geometry, range_km, error.max_error_m))
    if output is None or is_stdout(output):
        typer.echo(text, nl=False)
    else:
        typer.echo(str(write_text_atomic(_check_output(output), text).resolve()))
    typer.echo(f"measured max error {error.max_error_m:.3f} m over {error.samples} boundary samples", err=True)


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``rangemap`` console script.

    Parameters
    ----------
    argv : list of str, optional

    Returns
    -------
    int
        Exit status: 0 on success, 2 on bad input or a failed write, 130 on Ctrl-C.
    """
    import signal
    import warnings

    # Warnings (e.g. an invalid polygon repaired) as one line, not Python's two-line source excerpt.
    warnings.showwarning = lambda message, *_args, **_kwargs: typer.echo(f"rangemap: warning: {message}", err=True)
    # SIGTERM unwinds like Ctrl-C, so a write in progress removes its temporary file.
    signal.signal(signal.SIGTERM, _terminate)
    try:  # typer 0.2x carries its own copy of click's exceptions
        from typer._click.exceptions import ClickException
        from typer.exceptions import Abort
    except ImportError:  # older typer: click itself
        from click.exceptions import Abort, ClickException  # type: ignore[assignment]

    try:
        code = app(args=argv, prog_name="rangemap", standalone_mode=False)
        code = code if isinstance(code, int) else 0
        if code == 130:  # typer turns Ctrl-C into exit status 130, silently
            typer.echo("rangemap: interrupted; no output was changed", err=True)
        return code
    except ClickException as exc:  # usage errors: one line (no Usage/Try lines), status 2
        if type(exc).__name__ == "NoArgsIsHelpError":  # `rangemap` alone: the help, as before
            typer.echo(exc.format_message(), err=True)
            return exc.exit_code or 2
        ctx = getattr(exc, "ctx", None)
        hint = f"; see '{ctx.command_path} --help'" if ctx is not None else ""
        typer.echo(f"rangemap: error: {_one_line(exc.format_message()).rstrip('.')}{hint}", err=True)
        return exc.exit_code or 2
    except Abort:
        typer.echo("rangemap: interrupted; no output was changed", err=True)
        return 130
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
        if code == 130:  # typer turns Ctrl-C into exit status 130, silently
            typer.echo("rangemap: interrupted; no output was changed", err=True)
        return code
    except KeyboardInterrupt:
        typer.echo("rangemap: interrupted; no output was changed", err=True)
        return 130
    except RangemapError as exc:  # ScenarioError, LookupFailedError, InvalidInputError
        typer.echo(f"rangemap: error: {_one_line(exc)}", err=True)
        return 2
    except BrokenPipeError:  # `rangemap report | head`: the reader left; not an error of ours
        return 0
    except OSError as exc:
        where = f": {exc.filename}" if exc.filename else ""
        typer.echo(f"rangemap: error: {_one_line(exc.strerror or exc)}{where}", err=True)
        return 2


def _terminate(signum, _frame):
    raise SystemExit(128 + signum)


def _one_line(message) -> str:
    return " ".join(str(message).split())


# reach and timeline live in rangemap.cli.time_commands.
from rangemap.cli import time_commands as cli_time  # noqa: E402

cli_time.register(app)

__all__ = ["app", "main"]

if __name__ == "__main__":
    sys.exit(main())
