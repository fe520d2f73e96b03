"""The ``rangemap reach`` and ``rangemap timeline`` subcommands (registered on the main app by :func:`register`).

Like the rest of the CLI they only parse and print: bad input raises rangemap's
own errors, which ``rangemap.cli.main.main`` turns into one line on stderr and exit status 2.
"""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from rangemap.errors import InvalidInputError, LookupFailedError


def parse_target(text: str, country: str | None = None) -> tuple:
    """``--target``: :func:`rangemap.model.reach.target_point`, its errors naming the option.

    Examples
    --------
    >>> parse_target("36.19, 51.73")[1].wkt
    'POINT (36.19 51.73)'
    """
    from rangemap.model.reach import target_point

    try:
        return target_point(text, country)
    except LookupFailedError as exc:
        raise LookupFailedError(f"--target: {exc}", exc.candidates) from None
    except InvalidInputError as exc:
        raise InvalidInputError(f"--target: {exc}") from None




def reach(target: str = typer.Option(..., "--target", help="PLACE name or LON,LAT (degrees)."),
          weapon: str = typer.Option(..., "--weapon", help="Weapon id or name (the scenario's or the catalog's)."),
          scenario: Optional[Path] = typer.Argument(None, help="Scenario TOML (its launch groups are the launch "
                                                    "areas); the default scenario if left out.", show_default=False),
          target_country: Optional[str] = typer.Option(None, "--country", help="Country of the target place."),
          launch: Optional[str] = typer.Option(None, "--launch", help="Only this launch group id."),
          output: Optional[Path] = typer.Option(None, "-o", "--output", help="Write the zones as GeoJSON here."),
          map_path: Optional[Path] = typer.Option(None, "--map", help="Write an offline HTML map of the zones here."),
          tolerance_m: float = typer.Option(1.0, "--tolerance-m", help="Error bound of the zone's edge, metres.")):
    """From where in each launch area a target is within the weapon's range."""
    from rangemap.data.catalog import find_weapon
    from rangemap.geodesy.bounds import check_tolerance_m
    from rangemap.io.atomic import write_text_atomic
    from rangemap.model.reach import launch_zone
    from rangemap.model.scenario import load_scenario

    check_tolerance_m(tolerance_m, "--tolerance-m")
    label, point = parse_target(target, target_country)
    loaded = load_scenario(scenario)
    try:
        chosen = find_weapon(weapon, loaded.weapons)
    except LookupFailedError as exc:
        raise LookupFailedError(f"--weapon: {exc}", exc.candidates) from None
    groups = [g for g in loaded.launches if launch is None or g.id == launch]
    if not groups:
        raise InvalidInputError(f"--launch: {loaded.path}: no launch group {launch!r}; "
                                f"have {', '.join(g.id for g in loaded.launches)}")

    from rangemap.io.atomic import check_output_path
    from rangemap.outputs.formats import FORMATS, check_extension
    from rangemap.outputs.report import reach_summary

    # Refused before the zones are computed: an input, a folder, a link, or the wrong extension.
    if output is not None:
        check_extension(FORMATS["geojson"], check_output_path(output, loaded.inputs))
    if map_path is not None:
        check_extension(FORMATS["html"], check_output_path(map_path, loaded.inputs))
    zones = [(g.id, launch_zone(point, chosen.range_m, g.geometry, tolerance_m=tolerance_m)) for g in groups]
    for group, (_, zone) in zip(groups, zones, strict=True):
        typer.echo(reach_summary(label, chosen.short_label, chosen.range_km, group.id, group.label, zone))
    if output is not None:
        from rangemap.outputs.geojson import geojson_text
        from rangemap.outputs.writers import reach_geojson

        path = write_text_atomic(output, geojson_text(reach_geojson(label, point, chosen, zones)))
        typer.echo(str(path.resolve()))
    if map_path is not None:
        from rangemap.outputs.page import reach_map_html

        title = f"From where {chosen.short_label} ({chosen.range_km:g} km) reaches {label}"
        page = reach_map_html(title, point, [(g.label, g.geometry, z) for g, (_, z) in zip(groups, zones, strict=True)])
        typer.echo(str(write_text_atomic(map_path, page).resolve()))


def timeline(scenario: Path = typer.Argument(..., help="Scenario TOML with a [timeline] table."),
             output: Path = typer.Option(..., "-o", "--output", help="Folder for the timeline's files."),
             workers: Optional[int] = typer.Option(None, "--workers", help="Local dask worker processes "
                                                   "[default: one per core]; 0 runs in this process."),
             scheduler: Optional[str] = typer.Option(None, "--scheduler", help="An existing dask scheduler "
                                                     "(tcp://HOST:PORT) [default: $RANGEMAP_DASK_SCHEDULER]."),
             cache: Optional[Path] = typer.Option(None, "--cache", help="Footprint cache folder "
                                                  "[default: OUTPUT/cache]."),
             quiet: bool = typer.Option(False, "-q", "--quiet", help="No progress on stderr.")):
    """Coverage over time: per date launch areas, footprints and region shares (CSV, JSON, chart, GeoPackage, map)."""
    from rangemap.model.timeline import load_timeline, run_timeline
    from rangemap.outputs.timeline_files import write_timeline

    if workers is not None and workers < 0:
        raise InvalidInputError(f"--workers: must be 0 (in this process) or more, got {workers}")
    loaded = load_timeline(scenario)
    result = run_timeline(loaded, cache_dir=cache or output / "cache", workers=workers, scheduler=scheduler,
                          progress=not quiet)
    for path in write_timeline(result, output):
        typer.echo(str(path.resolve()))
    if not quiet:
        typer.echo(f"… {len(result.coverage)} rows for {result.coverage['date'].nunique()} dates; footprints "
                   f"computed {result.footprints_computed}, from cache {result.footprints_reused}"
                   + (f"; skipped {len(result.skipped)} dates without data" if result.skipped else ""), err=True)


def register(app: typer.Typer) -> None:
    """Add the ``reach`` and ``timeline`` commands to the ``rangemap`` app."""
    app.command(name="reach")(reach)
    app.command(name="timeline")(timeline)


__all__ = ["parse_target", "reach", "register", "timeline"]
