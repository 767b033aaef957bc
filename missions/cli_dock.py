"""``mission-compare dock A B`` and ``mission-compare visit VEHICLE STATION``.

Registered in :mod:`missions.cli` by ``_register_dock()``. Input errors (unknown names, objects
without a recorded docking mechanism, bad dates) are the toolkit's own errors, which the main
group prints as one line with exit status 2.
"""

from __future__ import annotations

import click

__all__ = ["dock_cmd", "visit_cmd"]


def _cli():
    from . import cli  # imported here: missions.cli imports this module

    return cli


def _date(ctx, param, value):
    return _cli()._check_date(ctx, param, value)


def _name(ctx, param, value):
    return _cli()._check_name(ctx, param, value)


@click.command("dock")
@click.argument("a", required=False, callback=_name)
@click.argument("b", required=False, callback=_name)
@click.option("--at", "at", default=None, callback=_date, metavar="DATE",
              help="Date the stations' ports are taken at (UTC, YYYY-MM-DD); default: now.")
@click.option("--matrix", is_flag=True,
              help="Print the table of which mechanisms mate (instead of A and B).")
@click.option("--format", "fmt", type=click.Choice(["table", "json", "csv"],
                                                   case_sensitive=False),
              default="table", show_default=True, help="Output format.")
@click.pass_context
def dock_cmd(ctx, a, b, at, matrix, fmt):
    """Whether spacecraft or station A can dock with B, by their docking mechanisms.

    Gives the verdict (yes / only through an adapter / claimed, never demonstrated / no), the
    mechanisms on each side, the reason, recorded dockings and sources. Example:
    mission-compare dock "Soyuz MS" "Chinese space station"
    """
    from orbits.errors import ArgumentError

    from .docking import can_dock, docking_matrix

    cli = _cli()
    if matrix:
        if a or b:
            raise ArgumentError("--matrix takes no A and B; give either --matrix or A and B")
        cli.emit_result(docking_matrix(), fmt.lower())
        return
    if not (a and b):
        raise click.UsageError("give two names A and B (or --matrix)")
    cli.emit_result(can_dock(a, b, at=at, catalog=cli._catalog(ctx)), fmt.lower())


@click.command("visit")
@click.argument("vehicle", callback=_name)
@click.argument("station", callback=_name)
@click.option("--site", default=None, callback=_name,
              help="Launch site (default: the vehicle's usual site).")
@click.option("--tle", "tle", multiple=True, type=click.Path(exists=True, dir_okay=False),
              help="A TLE or OMM file of element sets that extends or replaces the packaged "
                   "history and the cache (repeatable).")
@click.option("--at", "at", default=None, callback=_date, metavar="DATE",
              help="Analysis date (UTC, YYYY-MM-DD[THH:MM]); default: now.")
@click.option("--format", "fmt", type=click.Choice(["table", "json", "csv"],
                                                   case_sensitive=False),
              default="table", show_default=True, help="Output format.")
@click.pass_context
def visit_cmd(ctx, vehicle, station, site, tle, at, fmt):
    """Can VEHICLE reach and dock to STATION: launch site, plane change, delta-v and docking.

    Example: mission-compare visit "Soyuz MS" "Chinese space station" --at 2025-06-01
    """
    from .visit import visit

    cli = _cli()
    cli.emit_result(visit(vehicle, station, at=at, elements=cli._elements(tle), site=site,
                          catalog=cli._catalog(ctx)), fmt.lower())
