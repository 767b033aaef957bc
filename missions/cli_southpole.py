"""``mission-compare south-pole``: which lunar orbits reach the catalog's polar sites.

Prints :func:`missions.lunar_sites.polar_site_access` over the lunar day from ``--at``
(default now, UTC): per polar site the orbits passing over it, the revisit and node drift of
the least-inclined one, the Sun's elevation range and the time the Sun, the Earth and
Queqiao-2 are above the horizon (DE421, IAU WGCCRE 2015 lunar rotation).

Registered in :mod:`missions.cli` by ``_register_southpole()``; the toolkit's errors (a bad
date, an unknown site, a site without published coordinates) print one line
``mission-compare: error: ...`` and exit with status 2.
"""

from __future__ import annotations

import click

__all__ = ["south_pole_cmd"]


def _date(ctx, param, value):
    from .cli import _check_date  # imported here: missions.cli imports this module

    return _check_date(ctx, param, value)


def _names(ctx, param, value):
    from .cli import _check_name

    return _check_name(ctx, param, value)


@click.command("south-pole")
@click.option("--at", "at", default=None, callback=_date, metavar="DATE",
              help="Start of the lunar day (UTC, YYYY-MM-DD[THH:MM]); default: now.")
@click.option("--site", "sites", multiple=True, callback=_names, metavar="NAME",
              help="A lunar site or its mission (repeatable); default: every catalog site "
                   "south of 60° S with published coordinates.")
@click.option("--format", "fmt", type=click.Choice(["text", "table", "json", "csv"],
                                                    case_sensitive=False),
              default="text", show_default=True, help="text (= table), json or csv.")
@click.pass_context
def south_pole_cmd(ctx, at, sites, fmt):
    """Which lunar orbits pass over the catalog's polar sites, and what those sites see.

    For 100 km orbits at 90, 85 and 62.4 deg over one lunar day: revisit, node drift, the
    Sun's elevation range and the fractions with the Sun, the Earth and Queqiao-2 in view.
    """
    from .cli import _catalog, emit_result
    from .lunar_sites import polar_site_access

    res = polar_site_access(_catalog(ctx), at=at, sites=list(sites) or None)
    emit_result(res, "table" if fmt.lower() == "text" else fmt.lower())
