"""The ``mission-compare`` command line.

Every command is a thin formatter over a Python function (``missions.compare``,
``missions.report``, ``orbits``...). Bad input exits with status 2 and one line on stderr
(``mission-compare: error: ...``) naming the argument, the value and what is allowed, with the
same did-you-mean suggestions as the Python API. Only the toolkit's own input errors
(:class:`orbits.errors.ValidationError` and click's usage errors, see :func:`_is_user_error`)
get that treatment; any other exception is a bug and shows its traceback, and the global
``--debug`` flag shows the traceback of every error. Long user values are echoed cut, and
names over :data:`MAX_NAME_LENGTH` characters are refused before any lookup.
"""

from __future__ import annotations

import contextlib
import difflib
import json
import math
import sys

import click


class SuggestChoice(click.Choice):
    """A case-insensitive choice whose error adds the closest allowed values."""

    def __init__(self, choices):
        super().__init__(choices, case_sensitive=False)

    def convert(self, value, param, ctx):
        """Return the matching choice, or fail naming the closest allowed values."""
        try:
            return super().convert(value, param, ctx)
        except click.BadParameter:
            close = difflib.get_close_matches(
                str(value).lower(), [c.lower() for c in self.choices], n=3, cutoff=0.5
            )
            hint = "; did you mean " + ", ".join(repr(c) for c in close) + "?" if close else ""
            self.fail(
                f"{value!r} is not one of {', '.join(map(repr, self.choices))}{hint}", param, ctx
            )


FORMATS = SuggestChoice(["table", "json", "csv"])


#: Longest name (mission, site, station, figure) accepted on the command line; longer ones
#: fail before any lookup (a 100,000-character name would otherwise be fuzzy-matched for 20 s).
MAX_NAME_LENGTH = 200

#: Longest error line printed; user values inside it are cut so one line stays one line.
MAX_ERROR_LENGTH = 400


def _one_line(text: str) -> str:
    """``text`` on one line, cut in the middle if longer than :data:`MAX_ERROR_LENGTH`."""
    line = " ".join(str(text).split())
    if len(line) > MAX_ERROR_LENGTH:
        keep = MAX_ERROR_LENGTH // 2 - 10
        line = f"{line[:keep]} ... [{len(line) - 2 * keep} characters cut] ... {line[-keep:]}"
    return line


def _cut(value, limit: int = 60) -> str:
    """``repr(value)`` cut to ``limit`` characters, for echoing a user's value."""
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 4] + "...'"


def _is_user_error(exc: BaseException) -> bool:
    """Tell whether ``exc`` is one of the toolkit's own input errors.

    The command line prints those as one line; anything else is a bug and keeps its traceback.
    """
    from orbits.errors import ValidationError

    if isinstance(exc, (ValidationError, click.UsageError)):
        return True
    # a file the user named that cannot be read or written (missing, no permission, a directory)
    return isinstance(exc, OSError) and getattr(exc, "filename", None) is not None


def _error_text(exc: BaseException) -> str:
    # a plain KeyError's str() is the repr of its message; use the message itself
    plain_key = isinstance(exc, KeyError) and type(exc).__str__ is KeyError.__str__
    return _one_line(exc.args[0] if plain_key and exc.args else exc)


def _check_name(ctx, param, value):
    """Click callback: refuse names longer than :data:`MAX_NAME_LENGTH` before any lookup."""
    values = value if isinstance(value, tuple) else (value,)
    for v in values:
        if isinstance(v, str) and not v.strip() and param.param_type_name == "option":
            # an empty option value would silently mean "not given" (--vehicle "" said that
            # only --profile was given)
            raise click.BadParameter(f"{v!r} is an empty name; give a name", ctx=ctx,
                                     param=param)
        if isinstance(v, str) and len(v) > MAX_NAME_LENGTH:
            raise click.BadParameter(
                f"{_cut(v)} is {len(v):,} characters long; names have at most "
                f"{MAX_NAME_LENGTH} characters", ctx=ctx, param=param)
    return value


def _check_out(ctx, param, value):
    """Click callback: refuse an empty ``--out`` (it would silently mean the current directory)."""
    if value is not None and not str(value).strip():
        raise click.BadParameter(f"{value!r} is an empty path; give a file or directory name",
                                 ctx=ctx, param=param)
    return value


class FiniteFloatRange(click.FloatRange):
    """``click.FloatRange`` that also refuses ``nan`` (which passes every range comparison)."""

    def convert(self, value, param, ctx):
        """Convert like ``FloatRange``; a NaN fails with the option's name and value."""
        rv = super().convert(value, param, ctx)
        if rv != rv:  # NaN
            self.fail(f"{value!r} is not a number; give a value in the range "
                      f"{self._describe_range()}", param, ctx)
        return rv


class CatalogGroup(click.Group):
    """Turns the toolkit's input errors and usage errors into one line and exit code 2.

    Any other exception is a bug and keeps its traceback; ``--debug`` shows the traceback of
    every error.
    """

    def invoke(self, ctx):
        """Run the command; print an input error as one line and exit with status 2."""
        try:
            return super().invoke(ctx)
        except (click.exceptions.Exit, click.ClickException, click.Abort):
            raise
        except Exception as exc:
            if ctx.params.get("debug") or not _is_user_error(exc):
                raise
            click.echo(f"mission-compare: error: {_error_text(exc)}", err=True)
            ctx.exit(2)

    def main(self, args=None, prog_name=None, complete_var=None, standalone_mode=True, **extra):
        """Run the command line; usage errors become one line on stderr (``--debug``: raise)."""
        argv = list(sys.argv[1:] if args is None else args)
        debug = "--debug" in argv[: argv.index("--")] if "--" in argv else "--debug" in argv
        try:
            with _toolkit_warnings_as_lines():
                rv = super().main(args=args, prog_name=prog_name, complete_var=complete_var,
                                  standalone_mode=False, **extra)
        except click.UsageError as exc:
            if debug:
                raise
            where = f"{exc.ctx.command_path}: " if exc.ctx is not None else "mission-compare: "
            click.echo(f"{where}error: {_one_line(exc.format_message())}", err=True)
            rv = 2
        except click.ClickException as exc:
            if debug:
                raise
            click.echo(f"mission-compare: error: {_one_line(exc.format_message())}", err=True)
            rv = exc.exit_code
        except click.Abort:
            click.echo("mission-compare: aborted", err=True)
            rv = 1
        except BrokenPipeError:  # pragma: no cover - e.g. piped into head
            rv = 0
        if not standalone_mode:
            return rv
        sys.exit(rv if isinstance(rv, int) else 0)


@click.group(cls=CatalogGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--catalog",
    "extra",
    multiple=True,
    type=click.Path(exists=True, dir_okay=False),
    help="An extra TOML records file loaded beside the built-in catalog (repeatable).",
)
@click.option("--debug", is_flag=True, help="Show the full traceback of any error.")
@click.version_option(package_name="mission-compare")
@click.pass_context
def cli(ctx, extra, debug):
    """Compare Russian and Chinese lunar and space-station missions."""
    ctx.ensure_object(dict)
    ctx.obj["extra"] = extra
    ctx.obj["debug"] = debug


def _analysis_options(*, propagator: bool = False):
    """Add ``--at DATE``, ``--tle FILE`` (and optionally ``--propagator``) to a command.

    For commands that use station element sets; the values arrive as ``at``, ``tle`` (a tuple
    of paths) and ``propagator``.
    """

    def deco(f):
        if propagator:
            f = click.option(
                "--propagator", type=SuggestChoice(["secular", "sgp4"]), default="secular",
                show_default=True,
                help="Station planes: secular J2+J2^2+J4 mean elements (better past ~3 days, "
                     "measured on real ISS/Tianhe sets) or full SGP4.")(f)
        f = click.option(
            "--tle", "tle", multiple=True, type=click.Path(exists=True, dir_okay=False),
            help="A TLE or OMM (JSON, CSV, XML) file of element sets that extends or replaces "
                 "the packaged history and the cache (repeatable).")(f)
        f = click.option(
            "--at", "at", default=None, callback=_check_date, metavar="DATE",
            help="Analysis date (UTC, YYYY-MM-DD[THH:MM]); default: now. Element sets "
                 "nearest this date are used.")(f)
        return f

    return deco


def _check_date(ctx, param, value):
    """Parse --at / --start early, so a bad date is one line naming the option."""
    if value is None:
        return None
    from .compare import parse_start

    return parse_start(value, name=param.opts[0] if param.opts else f"--{param.name}")


def _elements(tle):
    return list(tle) if tle else None


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
        click.echo(text_table(table))


def _cell_text(val) -> str:
    import numpy as np

    from orbits.results import format_value

    if val is None or val is np.ma.masked:
        return ""
    if isinstance(val, str):
        return val
    return format_value(val)


def emit_any(obj, fmt: str) -> None:
    """Print a Result (:func:`emit_result`) or a QTable.

    As text fitting 100 columns, JSON records or CSV from :func:`table_csv` (every digit, units
    in the header, blanks).
    """
    if hasattr(obj, "to_table") and hasattr(obj, "to_dict"):
        emit_result(obj, fmt)
    elif fmt == "csv":
        click.echo(table_csv(obj))
    else:
        emit_table(obj, fmt)


def text_table(table, *, width: int = 100, units: bool = True) -> str:
    """Lay out a QTable as aligned text of at most ``width`` columns.

    Units go in the header, numbers are rounded, missing values are blank; the widest text
    columns are cut (``...``) to fit.
    """
    from astropy import units as u

    headers, cells = [], []
    for name in table.colnames:
        col = table[name]
        has_unit = units and isinstance(col, u.Quantity) and col.unit != u.one
        unit = col.unit.to_string() if has_unit else ""
        headers.append(f"{name} ({unit})" if unit else name)
        if isinstance(col, u.Quantity):
            cells.append([_cell_text(v) for v in col.value])
        else:
            cells.append([_cell_text(v) for v in col])
    return fit_columns(headers, cells, width=width)


def fit_columns(headers, cells, *, width: int = 100, keep=(0,), sep: str = "  ") -> str:
    """Lay out columns (lists of cell texts) in at most ``width`` characters.

    When the table is too wide, columns are narrowed one character at a time where that cuts
    the fewest cells (so a single long name is cut with ``...`` before a whole column is);
    the columns in ``keep`` (default the first, the names) are never cut.
    """
    widths = [max([len(h)] + [len(c) for c in col]) for h, col in zip(headers, cells)]
    floor = [
        w if i in keep else min(w, max(len(h), 6))
        for i, (h, w) in enumerate(zip(headers, widths))
    ]
    while sum(widths) + len(sep) * (len(widths) - 1) > width:
        shrinkable = [i for i in range(len(widths)) if widths[i] > floor[i]]
        if not shrinkable:
            break
        k = min(shrinkable, key=lambda i: (sum(len(c) >= widths[i] for c in cells[i]), -widths[i]))
        widths[k] -= 1

    def cut(text, w):
        return text if len(text) <= w else text[: max(w - 3, 0)] + "..."

    lines = [sep.join(cut(h, w).ljust(w) for h, w in zip(headers, widths)).rstrip(),
             sep.join("-" * w for w in widths)]
    for row in zip(*cells):
        lines.append(sep.join(cut(c, w).ljust(w) for c, w in zip(row, widths)).rstrip())
    return "\n".join(lines)


def wrap_lines(text: str, width: int = 100) -> str:
    """Wrap each line longer than ``width``, continuing under its own indentation."""
    import textwrap

    out = []
    for line in text.splitlines():
        if len(line) <= width:
            out.append(line)
            continue
        indent = " " * (len(line) - len(line.lstrip()) + 4)
        out.extend(textwrap.wrap(line, width=width, subsequent_indent=indent,
                                 break_long_words=True, break_on_hyphens=False))
    return "\n".join(out)


#: Toolkit warnings already printed as ``warning:`` lines during this command.
_WARNED: set[str] = set()


def _warning_line(message: str) -> None:
    text = _one_line(message)
    if text not in _WARNED:
        _WARNED.add(text)
        click.echo(f"warning: {text}", err=True)


@contextlib.contextmanager
def _toolkit_warnings_as_lines():
    """Print the toolkit's own warnings as one ``warning:`` line each on stderr, once.

    Other warnings keep Python's format.
    """
    import warnings

    from orbits.errors import MissionCompareWarning

    original = warnings.showwarning

    def show(message, category, filename, lineno, file=None, line=None):
        if issubclass(category, MissionCompareWarning):
            _warning_line(str(message))
        else:
            original(message, category, filename, lineno, file, line)

    _WARNED.clear()
    with warnings.catch_warnings():
        warnings.simplefilter("always", MissionCompareWarning)
        # ERFA's "dubious year" (UTC before 1960 or past the leap-second table) is noise on
        # a command line: every date is judged against its own span by the toolkit
        warnings.filterwarnings("ignore", message=r"ERFA function .*dubious year")
        warnings.showwarning = show
        try:
            yield
        finally:
            warnings.showwarning = original


def emit_result(result, fmt: str) -> None:
    """Print an analysis result (:class:`orbits.results.Result`).

    As rounded labelled text, JSON from ``to_dict()`` (every digit) or CSV from ``to_table()``
    (units in the header).
    """
    if fmt == "json":
        click.echo(json.dumps(result.to_dict(), indent=2, ensure_ascii=False))
    elif fmt == "csv":
        click.echo(table_csv(result.to_table()))
    else:
        click.echo(result.to_text())
    for warning in getattr(result, "warnings", ()):
        _warning_line(warning)


def table_csv(table) -> str:
    """Write a QTable as CSV text.

    Every digit is kept, units go in the header (``azimuth [deg]``), missing values are blank.
    """
    import csv
    import io
    import math

    from astropy import units as u
    from astropy.time import Time

    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    header, columns = [], []
    for name in table.colnames:
        col = table[name]
        unit = col.unit.to_string() if isinstance(col, u.Quantity) and col.unit != u.one else ""
        header.append(f"{name} [{unit}]" if unit else name)
        if isinstance(col, Time):
            columns.append(col.utc.isot.tolist())
        elif isinstance(col, u.Quantity):
            columns.append(
                ["" if not math.isfinite(v) else repr(float(v)) for v in col.value.ravel()]
            )
        else:
            vals = []
            for v in col.tolist():
                if isinstance(v, float) and not math.isfinite(v):
                    vals.append("")
                else:
                    vals.append(v)
            columns.append(vals)
    writer.writerow(header)
    for row in zip(*columns):
        writer.writerow(row)
    return buf.getvalue().rstrip("\n")


def table_to_records(table) -> list[dict]:
    """JSON-ready rows: Quantities become {"value", "unit"}; masked/NaN become null."""
    import math

    from astropy import units as u
    from astropy.time import Time

    rows = []
    for row in table:
        rec = {}
        for name in table.colnames:
            val = row[name]
            if isinstance(val, Time):
                rec[name] = val.utc.isot
            elif isinstance(val, u.Quantity):
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
@click.option(
    "--agency", multiple=True, help="Only these agencies (Roscosmos, CNSA, CMSA, NASA ...)."
)
@click.option(
    "--status", multiple=True,
    help="flown, operating, failed, planned, proposed, cancelled, deorbited.",
)
@click.option(
    "--kind", multiple=True, help="orbiter, lander, sample return, relay, station, programme ..."
)
@click.option(
    "--target", multiple=True,
    help="Earth, Moon, Earth-Moon L2, Mars or a small body (Phobos, asteroid, comet).",
)
@click.option("--format", "fmt", type=FORMATS, default="table", show_default=True)
@click.pass_context
def list_cmd(ctx, agency, status, kind, target, fmt):
    """List the missions in the catalog, optionally filtered.

    Each row says as of when the record was checked against its sources ("as of"). Options
    repeat for several values: --target Mars --target Phobos.
    """
    cat = _catalog(ctx)
    missions = cat.filter(
        agency=agency or None, status=status or None, kind=kind or None, target=target or None
    )
    table = cat.to_table(missions)
    keep = [
        "name", "agency", "kind", "status", "target", "launch_date", "launch_site",
        "launch_vehicle", "inclination", "as_of",
    ]
    if fmt == "json":  # stable keys (the column keys), not the display labels
        click.echo(json.dumps(table[keep].rows(), indent=2, ensure_ascii=False))
        return
    if fmt != "table":
        emit_any(table[keep], fmt)
        return
    # text: short site names, dates to the day, blanks for unknowns; fits 100 columns
    short_site = {s.name: s.short_name for s in cat.sites}
    # (the target and vehicle are in `show` and in the JSON and CSV outputs)
    headers = ["name", "agency", "kind", "status", "launch", "site", "i (deg)", "as of"]
    inc = table["inclination"].to_value("deg")
    cells = [
        [str(v) for v in table["name"]],
        [str(v) for v in table["agency"]],
        [str(v) for v in table["kind"]],
        [str(v) for v in table["status"]],
        [str(v)[:10] for v in table["launch_date"]],
        [short_site.get(str(v), str(v)) for v in table["launch_site"]],
        [f"{v:g}" if math.isfinite(v) else "" for v in inc],
        [str(v)[:7] for v in table["as_of"]],  # to the month: the full date is in show/json
    ]
    click.echo(fit_columns(headers, cells, sep=" "))


@cli.command("show")
@click.argument("name", callback=_check_name)
@click.option(
    "--format", "fmt", type=SuggestChoice(["text", "json"]), default="text", show_default=True
)
@click.pass_context
def show_cmd(ctx, name, fmt):
    """Show one mission, programme, launch site or vehicle with every fact and its source.

    The record's as-of date comes first; a programme (e.g. ILRS) lists its phases by plan,
    each with its dates, goals, missions and numbered source.
    """
    from .describe import describe, describe_dict

    cat = _catalog(ctx)
    rec = cat[name]
    if fmt == "json":
        click.echo(json.dumps(describe_dict(rec, cat), indent=2, ensure_ascii=False))
    else:
        click.echo(wrap_lines(describe(rec, cat)))


def _emit_mapping(result: dict, fmt: str) -> None:
    """Print a comparison dict as an item/value/unit table, a JSON object or CSV."""
    from .compare import comparison_json, comparison_table

    if fmt == "json":
        click.echo(json.dumps(comparison_json(result), indent=2, ensure_ascii=False))
        return
    table = comparison_table(result)
    emit_table(table, fmt)
    if fmt == "table":
        for note in table.meta.get("notes", []):
            click.echo(f"note: {note}")


@cli.command("compare")
@click.argument("a", callback=_check_name)
@click.argument("b", callback=_check_name)
@click.option("--format", "fmt", type=FORMATS, default="table", show_default=True)
@_analysis_options(propagator=True)
@click.pass_context
def compare_cmd(ctx, a, b, fmt, at, tle, propagator):
    """Plane, inclination and delta-v compatibility of A and B.

    A and B are two Earth-orbiting missions or stations (min/max plane angle over the J2
    node-drift cycle, plane-change delta-v), a launch site and a station (site's lowest
    inclination, dog-leg delta-v), or two lunar missions (lunar-orbit inclinations, transfer
    budgets). Example: mission-compare compare ISS "Chinese space station" --format json
    """
    from .compare import compare

    emit_result(compare(a, b, catalog=_catalog(ctx), at=at, elements=_elements(tle),
                        propagator=propagator), fmt)


@cli.command("windows")
@click.argument("site", callback=_check_name)
@click.argument("station", callback=_check_name)
@click.option("--start", default=None, callback=_check_date,
              help="First day (UTC, YYYY-MM-DD[THH:MM]); default: midnight of the analysis "
                   "date.")
@click.option("--days", type=FiniteFloatRange(min=0, min_open=True, max=60), default=7.0,
              show_default=True, help="Length of the search, days.")
@click.option("--vehicle", default=None, callback=_check_name,
              help="Predict launch times for this launcher (Soyuz-2.1a, Long March 2F, "
                   "Long March 7, Long March 5B): ascent lead and phasing drift added to the "
                   "in-plane instant.")
@click.option("--profile", default=None, callback=_check_name,
              help="Rendezvous profile with --vehicle: two-orbit, four-orbit, two-day, chinese-2h, "
                   "chinese-3h, chinese-3.5h, chinese-6.5h, chinese-8h, chinese-module-13h.")
@click.option("--format", "fmt", type=FORMATS, default="table", show_default=True)
@_analysis_options(propagator=True)
@click.pass_context
def windows_cmd(ctx, site, station, start, days, vehicle, profile, fmt, at, tle, propagator):
    """In-plane launch windows from SITE into STATION's precessing orbit plane.

    With --vehicle and --profile, also the predicted launch time of each window (SITE may then
    be a pad: "Baikonur Site 31/6", "Jiuquan LC-43/91", "Wenchang LC-201" ...).
    """
    from orbits.errors import ArgumentError

    if (vehicle is None) != (profile is None):
        raise ArgumentError("--vehicle and --profile go together (e.g. --vehicle Soyuz-2.1a "
                            "--profile two-orbit); got only "
                            + ("--vehicle" if vehicle else "--profile"))
    if vehicle is not None:
        emit_result(_predicted_launches(site, station, vehicle, profile, start, days, at, tle,
                                        _catalog(ctx)), fmt)
        return
    from .comparisons.launch_windows import station_launch_windows

    emit_result(station_launch_windows(site, station, start=start, days=days,
                                       catalog=_catalog(ctx), at=at, elements=_elements(tle),
                                       propagator=propagator), fmt)


def _predicted_launches(site, station, vehicle, profile, start, days, at, tle, cat):
    from astropy.time import Time

    from .launch_timing import predict_launches

    if start is None:
        when = at if at is not None else Time.now()
        start = Time(when.utc.isot[:10], scale="utc")
    return predict_launches(site, station, vehicle=vehicle, profile=profile, start=start,
                            days=days, elements=list(tle) if tle else None, catalog=cat)


@cli.command("porkchop")
@click.argument("names", nargs=-1, callback=_check_name)
@click.option("--lunar", "lunar", default=None, callback=_check_name, metavar="MISSION",
              help="Earth-Moon porkchop for this lunar mission.")
@click.option("--mars", "mars", is_flag=True,
              help="Heliocentric Earth-Mars porkchop (C3, v-infinity, Δv) from --start over "
                   "--days of departures.")
@click.option("--out", "out", type=click.Path(dir_okay=False), default=None, callback=_check_out,
              help="Figure file (.png, .svg or .pdf); default porkchop.png.")
@click.option("--start", default=None,
              help="First departure (UTC date); default: the stations' span centred on their "
                   "next node alignment (smallest plane angle), or a week before a lunar "
                   "mission's launch. Required with --mars.")
@click.option("--days", type=FiniteFloatRange(min=0, min_open=True, max=1000), default=None,
              help="Span of departure dates, days (stations: default 12, one full cycle of the "
                   "stations' relative phase; at most 120 for stations and lunar missions; "
                   "--mars: default 120).")
@click.option("--step", type=FiniteFloatRange(min=0.25, max=30), default=1.0,
              show_default=True, help="--mars: departure step, days.")
@click.option("--arrival-start", "arrival_start", default=None, callback=_check_date,
              metavar="DATE", help="--mars: first Mars arrival (UTC date); default: first "
                                   "departure + 80 days.")
@click.option("--arrival-days", "arrival_days", type=FiniteFloatRange(min=0, min_open=True,
              max=2000), default=None, help="--mars: span of arrival dates, days; default: "
                                            "to the last departure + 500 days.")
@click.option("--arrival-step", "arrival_step", type=FiniteFloatRange(min=0.25, max=30),
              default=2.0, show_default=True, help="--mars: arrival step, days.")
@click.option("--top", type=click.IntRange(min=1, max=100), default=5, show_default=True,
              help="Best windows to print.")
@click.option("--format", "fmt", type=FORMATS, default="table", show_default=True)
@_analysis_options()
@click.pass_context
def porkchop_cmd(ctx, names, lunar, mars, out, start, days, step, arrival_start, arrival_days,
                 arrival_step, top, fmt, at, tle):
    """Transfer porkchop between two stations, Earth-Moon for a lunar mission, or Earth-Mars.

    mission-compare porkchop ISS "Chinese space station" --out pc.png
    mission-compare porkchop --lunar "Chang'e-5" --out lunar.png
    mission-compare porkchop --mars --start 2020-06-01 --days 120 --out mars.png
    """
    from orbits.errors import ArgumentError

    if mars:
        if lunar is not None or names:
            raise ArgumentError("porkchop --mars takes no station names and no --lunar, got "
                                f"{' '.join(names) or '--lunar ' + str(lunar)!r}")
        _mars_porkchop(start, days, step, arrival_start, arrival_days, arrival_step, top, fmt,
                       out)
        return
    from .figures import porkchop

    if days is not None and days > 120:
        raise ArgumentError(f"--days must be at most 120 for station and lunar porkchops, "
                            f"got {days:g}")
    if lunar is not None and names:
        raise ArgumentError(f"porkchop takes either two station names or --lunar MISSION, "
                            f"got both {names!r} and --lunar {lunar!r}")
    if lunar is None and len(names) != 2:
        raise ArgumentError(f"porkchop needs two station names (e.g. ISS \"Chinese space "
                            f"station\"), --lunar MISSION or --mars, got {len(names)} name(s)")
    fig, best = porkchop(names, lunar=lunar, start=start, days=days, top=top,
                         catalog=_catalog(ctx), at=at, elements=_elements(tle))
    path = _save(fig, out or "porkchop.png")
    emit_any(best, fmt)
    click.echo(f"wrote {path}", err=True)


def _mars_porkchop(start, days, step, arrival_start, arrival_days, arrival_step, top, fmt, out):
    """Run ``porkchop --mars``: the grid, its best departures, the figure."""
    import warnings

    from erfa import ErfaWarning

    # future UTC dates lie past the leap-second table; a second does not move a Mars window
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ErfaWarning)
        _mars_porkchop_run(start, days, step, arrival_start, arrival_days, arrival_step, top,
                           fmt, out)


def _mars_porkchop_run(start, days, step, arrival_start, arrival_days, arrival_step, top, fmt,
                       out):
    import numpy as np
    from astropy import units as u

    from orbits import mars as M
    from orbits.errors import ArgumentError
    from orbits.plots.mars import mars_window_figure

    from .compare import parse_start

    if start is None:
        raise ArgumentError("porkchop --mars needs --start DATE, the first departure "
                            "(e.g. --start 2020-06-01)")
    t0 = parse_start(start, name="--start")
    span = 120.0 if days is None else float(days)
    deps = t0 + np.arange(0.0, span + 1e-9, step) * u.day
    arrivals = None
    if arrival_start is not None or arrival_days is not None:
        a0 = arrival_start if arrival_start is not None else deps[0] + M.TOF_MIN * u.day
        a_span = (float(arrival_days) if arrival_days is not None
                  else float((deps[-1] + M.TOF_MAX * u.day - a0).to_value(u.day)))
        if a_span <= 0:
            raise ArgumentError(f"--arrival-start {a0.utc.isot[:10]} leaves no arrival date "
                                f"before the last departure + {M.TOF_MAX:g} days; give "
                                f"--arrival-days")
        arrivals = a0 + np.arange(0.0, a_span + 1e-9, arrival_step) * u.day
    pc = M.mars_porkchop(deps, arrivals, arrival_step=arrival_step * u.day,
                         name=f"from {t0.utc.isot[:10]}")
    best = pc.best(top, min_separation=max(step, 3.0) * u.day)
    flown = [f for f in (M.TIANWEN_1,)
             if pc.first_departure <= f.launch <= pc.last_departure + 1 * u.day]
    # flown missions in the span: their own dates on the same grid model
    flown_results = [M.mars_transfer(f.launch, f.arrival, name=f.name) for f in flown]
    fig = mars_window_figure(pc, flown=flown)
    path = _save(fig, out or "porkchop.png")
    if fmt == "json":
        click.echo(json.dumps({"window": pc.to_dict(), "best": best.to_dict(),
                               "flown": [f.to_dict() for f in flown_results]}, indent=2,
                              ensure_ascii=False))
    elif fmt == "csv":
        emit_result(best, fmt)
    else:
        emit_result(pc, fmt)
        click.echo("")
        emit_result(best, fmt)
        for f in flown_results:
            click.echo("")
            emit_result(f, fmt)
    click.echo(f"wrote {path}", err=True)


@cli.command("plot")
@click.argument("name", callback=_check_name)
@click.option("--out", "out", type=click.Path(dir_okay=False), required=True, callback=_check_out,
              help="Figure file: .png, .svg or .pdf (orbits-3d: .html, interactive).")
@click.option("--missions", "selection", default=None,
              help="Comma-separated missions to include (timeline, transfer-families).")
@_analysis_options()
@click.pass_context
def plot_cmd(ctx, name, out, selection, at, tle):
    """Write one figure by NAME.

    NAME is one of: sites, plane-angle, timeline, transfer-families, porkchop, lunar-porkchop,
    orbits-3d (interactive HTML), docking-matrix, mars-window, south-pole-access.
    """
    from pathlib import Path

    from orbits.errors import ArgumentError

    from .figures import figure

    # check the file type before drawing (orbits-3d compiles boinor's numba code first)
    interactive = name.strip().lower().replace("_", "-") == "orbits-3d"
    allowed = (".html",) if interactive else _FIG_SUFFIXES
    if Path(out).suffix.lower() not in allowed:
        raise ArgumentError(f"--out for {name!r} must end in {', '.join(allowed)}, got {out!r}")
    fig = figure(name, catalog=_catalog(ctx), missions=_selection(selection), at=at,
                 elements=_elements(tle))
    click.echo(f"wrote {_save(fig, out)}", err=True)


@cli.command("report")
@click.option("--out", "out", type=click.Path(file_okay=False), required=True, callback=_check_out,
              help="Directory for index.html (created if missing).")
@click.option("--missions", "selection", default=None,
              help="Comma-separated mission names to narrow the report to.")
@click.option("--quiet", is_flag=True, help="No progress bar.")
@_analysis_options()
@click.pass_context
def report_cmd(ctx, out, selection, quiet, at, tle):
    """Write the self-contained HTML comparison report OUT/index.html."""
    from .report import build_report

    path = build_report(out, missions=_selection(selection), catalog=_catalog(ctx),
                        progress=not quiet, at=at, elements=_elements(tle))
    click.echo(str(path))


def _selection(text):
    if text is None:
        return None
    from orbits.errors import ArgumentError

    names = [n.strip() for n in text.split(",") if n.strip()]
    if not names:
        raise ArgumentError(
            f"--missions must list mission names separated by commas, got {_cut(text)}"
        )
    for n in names:
        if len(n) > MAX_NAME_LENGTH:
            raise ArgumentError(f"--missions: {_cut(n)} is {len(n):,} characters long; names have "
                                f"at most {MAX_NAME_LENGTH} characters")
    return list(dict.fromkeys(names))


_FIG_SUFFIXES = (".png", ".svg", ".pdf")


def _save(fig, out):
    from pathlib import Path

    from orbits.errors import ArgumentError

    path = Path(out)
    interactive = not hasattr(fig, "savefig")  # a plotly figure (orbits-3d)
    allowed = (".html",) if interactive else _FIG_SUFFIXES
    if path.suffix.lower() not in allowed:
        what = "an interactive figure: --out" if interactive else "--out"
        raise ArgumentError(f"{what} must end in {', '.join(allowed)}, got {str(out)!r}")
    if not path.parent.exists():
        raise ArgumentError(f"--out directory {str(path.parent)!r} does not exist")
    if interactive:
        fig.write_html(path, include_plotlyjs=True)  # self-contained: opens offline
    else:
        fig.savefig(path)
    return path


def _register_elements():
    from .cli_elements import elements

    cli.add_command(elements)


_register_elements()


def _register_dock():
    from .cli_dock import dock_cmd, visit_cmd

    cli.add_command(dock_cmd)
    cli.add_command(visit_cmd)


_register_dock()


def _register_survey():
    from .cli_survey import survey

    cli.add_command(survey)


_register_survey()


def _register_southpole():
    from .cli_southpole import south_pole_cmd

    cli.add_command(south_pole_cmd)


_register_southpole()


def main(argv=None):
    """Console-script entry point."""
    return cli.main(args=argv, prog_name="mission-compare")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
