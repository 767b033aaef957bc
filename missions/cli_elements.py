"""``mission-compare elements``: fetch current element sets and show what is cached.

The integrator registers the group in :mod:`missions.cli` with ``cli.add_command(elements)``.
Errors of the toolkit (:class:`orbits.errors.ValidationError`: offline, timeout, corrupt
download, corrupt cache) print one line ``mission-compare: error: ...`` and exit with status 2.
"""

from __future__ import annotations

import click

__all__ = ["elements"]


class _ElementsGroup(click.Group):
    def invoke(self, ctx):
        from orbits.errors import ValidationError

        try:
            return super().invoke(ctx)
        except ValidationError as exc:
            msg = exc.args[0] if exc.args else str(exc)
            click.echo(f"mission-compare: error: {' '.join(str(msg).split())}", err=True)
            ctx.exit(2)


def _emit(result, fmt):
    from .cli import emit_result  # imported here: missions.cli imports this module

    emit_result(result, fmt)


@click.group("elements", cls=_ElementsGroup)
def elements():
    """Manage current element sets: download them (update) and show the cache (list).

    The cache lives in the user data directory (set MISSION_COMPARE_DATA to use another).
    """


@elements.command("update")
@click.option("--group", default="stations", show_default=True,
              help="CelesTrak GP group to download.")
@click.option("--catnr", type=click.IntRange(min=1), default=None,
              help="One catalogue number instead of a group (e.g. 25544 for the ISS).")
@click.option("--source", "source", default=None, metavar="URL",
              help="Download OMM JSON from this URL instead of CelesTrak.")
@click.option("--timeout", type=click.FloatRange(min=0, min_open=True, max=600), default=20.0,
              show_default=True, help="Seconds to wait for the server.")
@click.option("--format", "fmt", type=click.Choice(["table", "json", "csv"]), default="table",
              show_default=True)
def update_cmd(group, catnr, source, timeout, fmt):
    """Download current element sets (OMM JSON) into the cache.

    A failed or corrupt download leaves the cache as it was.
    """
    from . import elements_store

    _emit(elements_store.update(source, group=group, catnr=catnr, timeout=timeout), fmt)


@elements.command("list")
@click.option("--at", "at", default=None, help="Date for the ages (UTC, YYYY-MM-DD); default now.")
@click.option("--format", "fmt", type=click.Choice(["table", "json", "csv"]), default="table",
              show_default=True)
def list_cmd(at, fmt):
    """Show the cached objects with their latest epoch, age and number of sets."""
    from . import elements_store

    if at is not None:
        from .comparisons.launch_windows import parse_start

        at = parse_start(at, name="--at")
    _emit(elements_store.list_cached(at), fmt)
