"""The ``rangemap`` command: subcommands over the library, nothing more.

User errors (bad scenario, unknown name, bad number) exit with status 2 and a
one-line reason on stderr, never a traceback.
"""

from __future__ import annotations

import json
import sys
import webbrowser
from enum import Enum
from pathlib import Path
from typing import Optional

import typer

from rangemap.errors import RangemapError

# Plain click messages (rich_markup_mode=None): a usage error is "Usage: ..." plus one "Error: ..." line.
app = typer.Typer(add_completion=False, no_args_is_help=True, pretty_exceptions_enable=False, rich_markup_mode=None,
                  help="Exact geodesic range maps on the WGS84 ellipsoid.")

ScenarioArg = typer.Argument(None, help="Scenario TOML file; the default scenario (ATACMS, November 2024) if left out.",
                             show_default=False)


class ReportFormat(str, Enum):
    table = "table"
    markdown = "markdown"
    csv = "csv"
    json = "json"


class ExportFormat(str, Enum):
    geojson = "geojson"
    gpkg = "gpkg"
    kml = "kml"


def _fail(message: str) -> None:
    typer.echo(f"rangemap: error: {message}", err=True)
    raise typer.Exit(2)


def _progress(quiet: bool):
    return None if quiet else (lambda message: typer.echo(f"… {message}", err=True))


def _result(scenario: Optional[Path], quiet: bool):
    from rangemap.results import run_scenario
    from rangemap.scenario import load_scenario

    say = _progress(quiet)
    if say:
        say(f"loading scenario {scenario or '(default)'}")
    return run_scenario(load_scenario(scenario), progress=say)


@app.command()
def render(scenario: Optional[Path] = ScenarioArg,
           output: Optional[Path] = typer.Option(None, "-o", "--output", help="HTML file to write "
                                                 "[default: out/<scenario name>[-offline].html]."),
           offline: bool = typer.Option(False, "--offline", help="One self-contained file: no tiles, no network."),
           open_: bool = typer.Option(False, "--open", help="Open the map in a browser."),
           quiet: bool = typer.Option(False, "-q", "--quiet", help="No progress messages.")):
    """Render the scenario's interactive map and print its path."""
    from rangemap.render import write_map

    result = _result(scenario, quiet)
    path = output or Path("out") / f"{result.scenario.name}{'-offline' if offline else ''}.html"
    if not quiet:
        typer.echo("… drawing the map", err=True)
    path = write_map(result, path, offline=offline).resolve()
    typer.echo(str(path))
    if open_:
        webbrowser.open(path.as_uri())


@app.command()
def report(scenario: Optional[Path] = ScenarioArg,
           fmt: ReportFormat = typer.Option(ReportFormat.table, "--format", "-f", help="Output format."),
           quiet: bool = typer.Option(False, "-q", "--quiet", help="No progress messages.")):
    """Print footprints, region coverage and places in range."""
    from rangemap.report import format_report

    typer.echo(format_report(_result(scenario, quiet), fmt.value), nl=False)


@app.command()
def export(scenario: Optional[Path] = ScenarioArg,
           fmt: ExportFormat = typer.Option(..., "--format", "-f", help="GIS format."),
           output: Path = typer.Option(..., "-o", "--output", help="File to write."),
           quiet: bool = typer.Option(False, "-q", "--quiet", help="No progress messages.")):
    """Export footprints, launch geometry, regions and places (each feature with kind and id)."""
    from rangemap.export import export as write

    typer.echo(str(write(_result(scenario, quiet), output, fmt.value).resolve()))


@app.command()
def weapons(catalog: Optional[Path] = typer.Option(None, "--catalog", help="A user catalog TOML to merge in.")):
    """List the weapon catalog: id, range and the source to cite."""
    from rangemap.catalog import load_catalog

    for w in load_catalog(catalog).values():
        approx = "~" if w.approximate else " "
        typer.echo(f"{w.id:14s} {approx}{w.range_km:7g} km  {w.name}  [{', '.join(w.launchers)}]")
        typer.echo(f"{'':24s}source: {w.source}")


@app.command()
def regions(country: Optional[str] = typer.Option(None, "--country", help="Only this country (name or ISO code).")):
    """List admin-1 regions (name, ISO 3166-2 code, country)."""
    from rangemap import gazetteer

    table = gazetteer.region_table()
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
    import shapely

    from rangemap.accuracy import footprint_error
    from rangemap.geodesic import footprint as make_footprint

    if not range_km > 0:
        _fail(f"--range-km must be a number > 0, got {range_km:g}")
    site = shapely.Point(lon, lat)
    geometry = make_footprint(site, range_km * 1000.0, tolerance_m=tolerance_m)
    error = footprint_error(geometry, site, range_km * 1000.0)
    geojson = {"type": "Feature", "geometry": shapely.geometry.mapping(shapely.orient_polygons(geometry)),
               "properties": {"kind": "footprint", "id": f"point/{range_km:g}km", "lon": lon, "lat": lat,
                              "range_km": range_km, "max_error_m": round(error.max_error_m, 3)}}
    text = json.dumps(geojson)
    if output:
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(text, encoding="utf-8")
        typer.echo(str(output.resolve()))
    else:
        typer.echo(text)
    typer.echo(f"measured max error {error.max_error_m:.3f} m over {error.samples} boundary samples", err=True)


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``rangemap`` console script.

    Parameters
    ----------
    argv : list of str, optional

    Returns
    -------
    int
        Exit status: 0 on success, 2 on bad input.
    """
    try:
        app(args=argv, prog_name="rangemap")  # click's usage errors: message and exit status 2
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    except RangemapError as exc:  # ScenarioError, LookupFailedError, InvalidInputError
        typer.echo(f"rangemap: error: {exc}", err=True)
        return 2
    except OSError as exc:
        typer.echo(f"rangemap: error: {exc.strerror or exc}: {exc.filename or ''}".rstrip(": "), err=True)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())


__all__ = ["app", "main"]

# reach and timeline live in rangemap.cli_time.
from rangemap import cli_time  # noqa: E402

cli_time.register(app)
