"""The `import` command of the CLI: run the import and print what it found and did."""

from __future__ import annotations

import argparse
from typing import TextIO

from sqlalchemy.engine import Engine

from lib.ingest.importer import import_path
from lib.ingest.report import (
    counts_table,
    format_problem,
    replace_notice,
    summary_line,
    write_problem_report,
)


def import_command(engine: Engine, args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Import `args.path`; return 0 when it was (or, with --dry-run, would be) written,
    2 when it could not be read, else 1."""
    lang = getattr(args, "lang", None) or "ko"
    result = import_path(
        engine, args.path, replace=args.replace, dry_run=args.dry_run, user=args.user, warm=True
    )
    # Every problem, not just the first: the user fixes the file once.
    for problem in result.problems:
        print(format_problem(problem, lang), file=err)
    if result.counts:
        if args.replace:
            print(replace_notice(result, lang), file=out)
        print(counts_table(result.counts, lang), file=out)
    if args.report:
        write_problem_report(result.problems, args.report, lang)
        print(
            f"문제 보고서: {args.report}" if lang == "ko" else f"Problem report: {args.report}",
            file=err,
        )
    print(summary_line(result, lang), file=err)
    if result.ok:
        return 0
    # 2: the path could not be read at all (missing, a folder without .csv files, not a
    # workbook: lib.errors.InputError's code); 1: it was read and its content refused.
    unreadable = result.errors and all(p.code == "unreadable" for p in result.errors)
    return 2 if unreadable else 1
