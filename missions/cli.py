"""The ``mission-compare`` command line.

Bad input exits non-zero with one line on stderr (``mission-compare: error: ...``), with the
same did-you-mean suggestions as the Python API.
"""

from __future__ import annotations

import json
import sys

import click

FORMATS = click.Choice(["table", "json", "csv"])


class CatalogGroup(click.Group):
    """Turns the catalog's KeyError/ValueError into one-line messages and exit code 2."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except (KeyError, ValueError, TypeError) as exc:
            msg = exc.args[0] if isinstance(exc, KeyError) and exc.args else str(exc)
            click.echo(f"mission-compare: error: {msg}", err=True)
            ctx.exit(2)


@click.group(cls=CatalogGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--catalog",
    "extra",
    multiple=True,
    type=click.Path(exists=True, dir_okay=False),
    help="An extra TOML records file loaded beside the built-in catalog (repeatable).",
)
@click.version_option(package_name="mission-compare")
@click.pass_context
def cli(ctx, extra):
    """Compare Russian and Chinese lunar and space-station missions."""
    ctx.ensure_object(dict)
    ctx.obj["extra"] = extra


def _catalog(ctx):
    from .catalog import load_catalog

    if "catalog" not in ctx.obj:
        ctx.obj["catalog"] = load_catalog(*ctx.obj.get("extra", ()))
    return ctx.obj["catalog"]


def emit_table(table, fmt: str) -> None:
    """Print an astropy Table as text, JSON records or CSV."""
    if fmt == "json":
        click.echo(json.dumps(table_to_records(table), indent=2, ensure_ascii=False))
    elif fmt == "csv":
        import io

        buf = io.StringIO()
        table.write(buf, format="ascii.csv")
        click.echo(buf.getvalue().rstrip("\n"))
    else:
        click.echo("\n".join(table.pformat(max_lines=-1, max_width=-1)))


def table_to_records(table) -> list[dict]:
    """JSON-ready rows: Quantities become {"value", "unit"}; masked/NaN become null."""
    import math

    from astropy import units as u

    rows = []
    for row in table:
        rec = {}
        for name in table.colnames:
            val = row[name]
            if isinstance(val, u.Quantity):
                v = float(val.value)
                rec[name] = None if math.isnan(v) else {"value": v, "unit": val.unit.to_string()}
            elif hasattr(val, "item"):
                v = val.item()
                rec[name] = None if isinstance(v, float) and math.isnan(v) else v
            else:
                rec[name] = val
        rows.append(rec)
    return rows


@cli.command("list")
@click.option("--agency", multiple=True, help="Only these agencies (Roscosmos, CNSA, CMSA, NASA ...).")
@click.option("--status", multiple=True, help="flown, operating, failed, planned, cancelled, deorbited.")
@click.option("--kind", multiple=True, help="orbiter, lander, sample return, relay, station ...")
@click.option("--target", multiple=True, help="Earth or Moon.")
@click.option("--format", "fmt", type=FORMATS, default="table", show_default=True)
@click.pass_context
def list_cmd(ctx, agency, status, kind, target, fmt):
    """List the missions in the catalog, optionally filtered."""
    cat = _catalog(ctx)
    missions = cat.filter(
        agency=agency or None, status=status or None, kind=kind or None, target=target or None
    )
    table = cat.to_table(missions)
    keep = ["name", "agency", "kind", "status", "target", "launch_date", "launch_site", "launch_vehicle", "inclination"]
    emit_table(table[keep], fmt)


@cli.command("show")
@click.argument("name")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.pass_context
def show_cmd(ctx, name, fmt):
    """Show one mission, launch site or vehicle with every fact and its source."""
    from .describe import describe, describe_dict

    cat = _catalog(ctx)
    rec = cat[name]
    if fmt == "json":
        click.echo(json.dumps(describe_dict(rec, cat), indent=2, ensure_ascii=False))
    else:
        click.echo(describe(rec, cat))


def main(argv=None):
    """Console-script entry point."""
    return cli.main(args=argv, prog_name="mission-compare")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
