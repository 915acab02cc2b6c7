"""Itda's command line: `python -m lib.cli COMMAND …` (see README, "CLI").

The database is `--database-url`, else the DATABASE_URL setting (default: the embedded
SQLite file). Messages go to stderr in the chosen language (`--lang`, default the
ITDA_DEFAULT_LANG setting); results go to stdout.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path
from typing import NoReturn

from lib import config
from lib.db import make_engine, migrate


def _date(text: str) -> dt.date:
    from lib.excerpt import excerpt

    try:
        return dt.date.fromisoformat(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"not a date YYYY-MM-DD: {excerpt(text)!r}") from exc


class _Parser(argparse.ArgumentParser):
    """argparse with its refusals in the CLI's language (exit code 2, as argparse's own).

    argparse decides the language only after parsing, so `main` sets `lang` from the
    arguments before parsing (`_lang_of`). The detail is argparse's English, shortened and
    without control characters (it quotes what was typed)."""

    lang = "ko"

    def error(self, message: str) -> NoReturn:
        from lib.excerpt import excerpt

        detail = excerpt(message, 160)
        self.print_usage(sys.stderr)
        if self.lang == "en":
            line = f"Cannot understand the command: {detail}. See: {self.prog} --help"
        else:
            line = f"명령을 이해할 수 없습니다: {detail}. 도움말: {self.prog} --help"
        self.exit(2, line + "\n")


def _lang_of(argv: list[str]) -> str:
    """The language the arguments ask for (`--lang en`, `--lang=en`), else the setting."""
    for i, arg in enumerate(argv):
        value = argv[i + 1] if arg == "--lang" and i + 1 < len(argv) else None
        if arg.startswith("--lang="):
            value = arg.split("=", 1)[1]
        if value in ("ko", "en"):
            return value
    return "en" if config.get("ITDA_DEFAULT_LANG") == "en" else "ko"


def _engine(args: argparse.Namespace):
    engine = make_engine(args.database_url or config.database_url())
    migrate(engine)  # every command works on the current schema
    return engine


def cmd_init(args: argparse.Namespace) -> int:
    engine = _engine(args)
    print(f"schema is current: {engine.url.render_as_string(hide_password=True)}", file=sys.stderr)
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    from lib.demo import build_demo

    engine = _engine(args)
    summary = build_demo(engine, scale=args.scale, seed=args.seed, as_of=args.as_of, progress=True)
    if args.lang == "ko":
        message = (
            f"데모 데이터 {summary.city_name}: {summary.total_rows:,}행, {summary.seconds:.1f}초"
        )
    else:
        message = (
            f"demo data {summary.city_name}: {summary.total_rows:,} rows, {summary.seconds:.1f} s"
        )
    phases = ", ".join(f"{name} {seconds:.1f}" for name, seconds in summary.phases.items())
    print(f"{message} ({phases})", file=sys.stderr)
    return 0


def _period(text: str):
    from lib.period import Period, PeriodError

    try:
        return Period.parse(text)
    except PeriodError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from exc


def cmd_rollup(args: argparse.Namespace) -> int:
    from lib import rollup

    engine = _engine(args)
    with engine.begin() as conn:
        rollup.clear(conn)
    seconds = rollup.warm(engine, periods=args.period or None)
    with engine.connect() as conn:
        rows = rollup.kept_rows(conn)
    spent = ", ".join(f"{name} {s:.1f}" for name, s in seconds.items())
    if args.lang == "ko":
        print(f"지표 요약 값을 다시 계산했습니다: {rows:,}행 ({spent})", file=sys.stderr)
    else:
        print(f"metric cube rebuilt: {rows:,} rows ({spent})", file=sys.stderr)
    return 0


def cmd_kpis(args: argparse.Namespace) -> int:
    from lib.kpis import kpis_command

    engine = _engine(args)
    return kpis_command(engine, args, out=sys.stdout)


def cmd_import(args: argparse.Namespace) -> int:
    from lib.ingest.command import import_command

    engine = _engine(args)
    return import_command(engine, args, out=sys.stdout, err=sys.stderr)


def cmd_template(args: argparse.Namespace) -> int:
    from lib.ingest.template import write_template
    from lib.review.command import check_target

    check_target(Path(args.out))  # a folder, or a folder that does not exist: refused first
    write_template(args.out, lang=args.lang)
    done = "양식을 저장했습니다" if args.lang == "ko" else "Template written"
    print(f"{done}: {args.out}", file=sys.stderr)
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from lib.ingest.export import export_workbook
    from lib.review.command import check_target

    check_target(Path(args.out))
    engine = _engine(args)
    with engine.connect() as conn:
        counts = export_workbook(conn, args.out)
    rows = sum(counts.values())
    from lib.access import audit_now
    from lib.share import operator

    audit_now(engine, actor=operator(), role="cli", action="export", detail=f"{rows} rows")
    done = f"내보냈습니다: {rows:,}행" if args.lang == "ko" else f"Exported {rows:,} rows"
    print(f"{done} → {args.out}", file=sys.stderr)
    return 0


def cmd_boundaries(args: argparse.Namespace) -> int:
    from lib.boundaries import boundaries_command

    engine = _engine(args)
    return boundaries_command(engine, args, out=sys.stdout, err=sys.stderr)


def cmd_share(args: argparse.Namespace) -> int:
    from lib.share import share_command

    engine = _engine(args)
    return share_command(engine, args, out=sys.stdout, err=sys.stderr)


def cmd_report(args: argparse.Namespace) -> int:
    from lib.review.command import report_command

    engine = _engine(args)
    return report_command(engine, args, out=sys.stdout, err=sys.stderr)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="python -m lib.cli", description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", help="SQLAlchemy URL (default: DATABASE_URL)")
    parser.add_argument(
        "--lang", choices=["ko", "en"], default=None, help="language of messages (default: ko)"
    )
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("init", help="create or upgrade the schema")
    p.set_defaults(func=cmd_init)

    p = sub.add_parser("demo", help="build the deterministic demo city")
    p.add_argument("--scale", choices=["city", "province", "nation"], default="city")
    p.add_argument("--seed", type=int, default=42)
    p.add_argument("--as-of", type=_date, default=None, help="last day of data (YYYY-MM-DD)")
    p.set_defaults(func=cmd_demo)

    p = sub.add_parser(
        "rollup",
        help="empty the metric cube and compute it again (after rows were written by other "
        "means than the import)",
    )
    p.add_argument(
        "--period",
        type=_period,
        action="append",
        help="a period to compute (repeatable); default: the default period and its comparisons",
    )
    p.set_defaults(func=cmd_rollup)

    p = sub.add_parser("kpis", help="print the metrics of metrics.md")
    p.add_argument("--period", help="2024, 2024-H1, 2024-Q3, 2024-05 or START..END")
    p.add_argument("--from", dest="start", type=_date, help="explicit period start")
    p.add_argument("--to", dest="end", type=_date, help="explicit period end")
    p.add_argument("--scope", default="city", help="city, a neighbourhood code, or all")
    p.add_argument("--agency", default=None, help="an agency code, or all")
    p.add_argument("--format", choices=["json", "csv", "table"], default="json")
    p.set_defaults(func=cmd_kpis)

    p = sub.add_parser("import", help="import a workbook (.xlsx) or a folder of .csv files")
    p.add_argument("path", help="FILE.xlsx or FOLDER")
    p.add_argument("--replace", action="store_true", help="make the database equal the workbook")
    p.add_argument("--report", help="write every problem to this .xlsx file")
    p.add_argument("--dry-run", action="store_true", help="validate and preview only")
    p.add_argument("--user", default=None, help="who imports (for the import log)")
    p.set_defaults(func=cmd_import)

    p = sub.add_parser("template", help="write the blank import workbook")
    p.add_argument("out", help="OUT.xlsx")
    p.set_defaults(func=cmd_template)

    p = sub.add_parser("export", help="write the whole database as an import workbook")
    p.add_argument("out", help="OUT.xlsx")
    p.set_defaults(func=cmd_export)

    from lib.boundaries import add_parser as add_boundaries_parser

    add_boundaries_parser(sub, cmd_boundaries)

    from lib.share import add_parser as add_share_parser

    add_share_parser(sub, cmd_share)

    from lib.review.command import add_parser as add_report_parser

    add_report_parser(sub, cmd_report)
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    _Parser.lang = _lang_of(argv)
    args = build_parser().parse_args(argv)
    args.lang = args.lang or config.get("ITDA_DEFAULT_LANG")
    try:
        if str(config.get("ITDA_LOG_FORMAT")).strip().lower() == "json":
            # The same JSON lines as the server's (imports, errors) for the log collector;
            # in text mode the CLI says what it did in its own words only.
            from lib import logs

            logs.setup("json")
        return args.func(args)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # `… | head` closed the pipe: not an error for the user
        sys.stderr.close()
        return 0
    except Exception as exc:  # a clear one-line message, never a traceback, for users
        from lib.errors import exit_code, user_message

        print(user_message(exc, args.lang, for_cli=True), file=sys.stderr)
        # 2: input that cannot be used; database trouble its own status (69 unreachable,
        # 75 try again later…); anything else 1.
        return exit_code(exc)


if __name__ == "__main__":
    sys.exit(main())
