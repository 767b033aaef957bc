"""``mission-compare survey``: the long studies, on threads or a Dask cluster.

``survey windows`` (every site × station × vehicle launch over years), ``survey lunar`` (the
cheapest lunar transfer of every month) and ``survey mars`` (the Mars windows of a decade, once a
Mars porkchop exists) run :mod:`missions.survey` as Dask graphs -- in-process threads by
default, on a ``dask.distributed`` cluster with ``--scheduler tcp://host:port`` -- show a
progress bar and write ``<study>.parquet`` and ``<study>.csv`` into ``--out``. The numbers are
the same on any scheduler.

Registered in :mod:`missions.cli` by ``_register_survey()``; the toolkit's errors (a bad
``--chunks``, an unreachable scheduler, a survey over the size limit) print one line
``mission-compare: error: ...`` and exit with status 2.
"""

from __future__ import annotations

import contextlib
import re

import click

__all__ = ["survey"]


def _check_out(ctx, param, value):
    from .cli import _check_out as check

    return check(ctx, param, value)


def _common(func):
    options = [
        click.option("--out", "out", required=True, type=click.Path(file_okay=False),
                     callback=_check_out,
                     help="Directory for <study>.parquet and <study>.csv (created if needed)."),
        click.option("--chunks", type=int, default=1, show_default=True,
                     help="Cases per Dask task (a positive integer)."),
        click.option("--scheduler", default=None, metavar="ADDRESS",
                     help="A dask.distributed scheduler (tcp://host:port); default: threads in "
                          "this process."),
        click.option("--timeout", type=float, default=10.0, show_default=True,
                     help="Seconds to wait for --scheduler (at most 3600)."),
        click.option("--progress/--no-progress", default=True, show_default=True,
                     help="Show a progress bar on stderr."),
    ]
    for opt in reversed(options):
        func = opt(func)
    return func


#: Argument names of :mod:`missions.survey` and the options that set them (shared by the three
#: studies; ``step`` is ``--step`` in both ``lunar`` and ``mars``).
_OPTION_OF = {"start": "--start", "years": "--years", "months": "--months", "step": "--step",
              "block_days": "--block-days", "chunks": "--chunks", "timeout": "--timeout",
              "scheduler": "--scheduler", "sites": "--site", "stations": "--station",
              "vehicles": "--vehicle", "profile": "--profile", "tofs": "--tof-min/--tof-max",
              "parking_altitude": "--parking-altitude",
              "parking_inclination": "--parking-inclination"}
_LEADING_NAME = re.compile(r"^([a-z_]+)(?=[\s:])")


@contextlib.contextmanager
def _named_as_options():
    """Re-word a toolkit error that opens with a :mod:`missions.survey` argument name.

    ``years must be in (0, 50], got -1.0`` becomes ``--years must be ...``: on the command line
    the user typed the option, not the Python name. Other errors pass through unchanged.
    """
    from orbits.errors import ValidationError

    try:
        yield
    except ValidationError as exc:
        text = str(exc)
        m = _LEADING_NAME.match(text)
        if m is None or m.group(1) not in _OPTION_OF:
            raise
        try:
            new = type(exc)(_OPTION_OF[m.group(1)] + text[m.end():])
        except TypeError:  # an error class with its own constructor: keep it as it is
            raise exc from None
        raise new from exc


def _finish(result, out, stem):
    from .cli import _warning_line
    from .survey import write_survey

    pq, csv = write_survey(result, out, stem)
    click.echo(str(result))
    click.echo(f"wrote {pq} and {csv} ({len(result)} rows)")
    for w in result.warnings:
        _warning_line(w)


@click.group("survey")
def survey():
    """Run a long study (windows, lunar, mars) on threads or a Dask cluster; write Parquet/CSV."""


@survey.command("windows")
@click.option("--start", required=True, help="First day (ISO date).")
@click.option("--years", type=float, default=1.0, show_default=True, help="Span in years.")
@click.option("--site", "sites", multiple=True,
              help="Launch pad or catalog site (repeat); default: every pad.")
@click.option("--station", "stations", multiple=True,
              help="ISS or CSS (repeat); default: both.")
@click.option("--vehicle", "vehicles", multiple=True,
              help="Vehicle (repeat); default: every vehicle of launch_profiles.toml.")
@click.option("--profile", default=None,
              help="One rendezvous profile for all vehicles; default: each vehicle's own.")
@click.option("--block-days", type=float, default=30.0, show_default=True,
              help="Days per launch-window scan (one case).")
@_common
def windows_cmd(start, years, sites, stations, vehicles, profile, block_days, out, chunks,
                scheduler, timeout, progress):
    """List every predicted launch from each site to each station for each vehicle."""
    from .survey import survey_windows

    with _named_as_options():
        res = survey_windows(start=start, years=years, sites=list(sites) or None,
                             stations=list(stations) or ("ISS", "CSS"),
                             vehicles=list(vehicles) or None, profile=profile,
                             block_days=block_days, chunks=chunks, scheduler=scheduler,
                             progress=progress, timeout=timeout)
    _finish(res, out, "windows")


@survey.command("lunar")
@click.option("--start", required=True, help="A date in the first month (ISO).")
@click.option("--months", type=int, default=12, show_default=True, help="Number of months.")
@click.option("--step", "step_min", type=float, default=60.0, show_default=True,
              help="Departure step, minutes.")
@click.option("--tof-min", type=float, default=3.0, show_default=True, help="Days.")
@click.option("--tof-max", type=float, default=6.0, show_default=True, help="Days.")
@click.option("--tof-step", type=float, default=0.25, show_default=True, help="Days.")
@click.option("--parking-inclination", type=float, default=51.7, show_default=True,
              help="Degrees.")
@click.option("--parking-altitude", type=float, default=200.0, show_default=True, help="km.")
@_common
def lunar_cmd(start, months, step_min, tof_min, tof_max, tof_step, parking_inclination,
              parking_altitude, out, chunks, scheduler, timeout, progress):
    """Find the cheapest lunar transfer (TLI + LOI) of every month."""
    import numpy as np
    from astropy import units as u

    from orbits.errors import ArgumentError

    from .survey import survey_lunar

    if not (0 < tof_step <= 30 and 0.5 <= tof_min <= tof_max <= 30):
        # also refuses nan and inf (an infinite --tof-max ran out of memory)
        raise ArgumentError(f"--tof-min .. --tof-max must lie in 0.5 .. 30 days with "
                            f"--tof-min <= --tof-max and 0 < --tof-step <= 30, got "
                            f"{tof_min:g}..{tof_max:g} step {tof_step:g}")
    tofs = np.arange(tof_min, tof_max + 1e-9, tof_step) * u.day
    with _named_as_options():
        res = survey_lunar(start=start, months=months, step=step_min * u.min, tofs=tofs,
                           parking_altitude=parking_altitude * u.km,
                           parking_inclination=parking_inclination * u.deg, chunks=chunks,
                           scheduler=scheduler, progress=progress, timeout=timeout)
    _finish(res, out, "lunar")


@survey.command("mars")
@click.option("--start", default="2026-01-01", show_default=True,
              help="A date in the first year.")
@click.option("--years", type=int, default=10, show_default=True, help="Number of years.")
@click.option("--step", "step_days", type=float, default=2.0, show_default=True,
              help="Departure step, days.")
@_common
def mars_cmd(start, years, step_days, out, chunks, scheduler, timeout, progress):
    """Find the cheapest Earth–Mars transfer of each year (needs orbits.mars's porkchop)."""
    from astropy import units as u

    from .survey import survey_mars

    with _named_as_options():
        res = survey_mars(start=start, years=years, step=step_days * u.day, chunks=chunks,
                          scheduler=scheduler, progress=progress, timeout=timeout)
    _finish(res, out, "mars")
