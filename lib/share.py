"""`python -m lib.cli share …`: the operator's share links (create, list, revoke).

The CLI is the operator's and has every right; what it does is audited as `cli:<login>`.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
from typing import TextIO

from sqlalchemy.engine import Engine

from lib import access
from lib.errors import UserError
from lib.formatting import display_width, pad_display
from lib.ingest.importer import cli_actor
from lib.queries import access as q
from lib.queries.access import LinkRecord

LIST_COLUMNS = (
    "id",
    "label",
    "scope",
    "creator",
    "created",
    "expires",
    "revoked",
    "uses",
    "last_used",
)
_HEADERS_KO = ("ID", "이름", "범위", "만든 사람", "만든 때", "만료", "폐기", "사용", "마지막 사용")


def operator() -> str:
    """The audit log's name for whoever runs the CLI (the importer's own `cli_actor`)."""
    return cli_actor()


def _expires(text: str | None) -> dt.datetime | None:
    if text is None:
        return None
    try:
        return dt.datetime.fromisoformat(text)
    except ValueError:
        raise UserError(
            f"만료 일시는 YYYY-MM-DDTHH:MM 형식으로 쓰세요(한국 시간): {text}",
            f"Write the expiry as YYYY-MM-DDTHH:MM (Korean time): {text}",
        ) from None


def _row(link: LinkRecord) -> dict[str, object]:
    def kst(value: dt.datetime | None) -> str | None:
        return None if value is None else value.astimezone(access.KST).isoformat(timespec="minutes")

    return {
        "id": link.id,
        "label": link.label,
        "scope": access.scope_text(link),
        "creator": link.created_by,
        "created": kst(link.created_at),
        "expires": kst(link.expires_at),
        "revoked": kst(link.revoked_at),
        "uses": link.uses,
        "last_used": kst(link.last_used_at),
    }


def _write_table(rows: list[dict[str, object]], lang: str, out: TextIO) -> None:
    headers = _HEADERS_KO if lang == "ko" else LIST_COLUMNS
    cells = [[("–" if r[c] is None else str(r[c])) for c in LIST_COLUMNS] for r in rows]
    widths = [
        max([display_width(h)] + [display_width(row[i]) for row in cells])
        for i, h in enumerate(headers)
    ]
    for line in [list(headers), *cells]:
        out.write(
            "  ".join(pad_display(v, w) for v, w in zip(line, widths, strict=True)).rstrip() + "\n"
        )


def share_command(engine: Engine, args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Run `share create|list|revoke`; results to `out`, messages to `err`."""
    ko = args.lang == "ko"
    if args.share_command == "create":
        link, url = access.create_link(
            engine,
            created_by=operator(),
            role="cli",
            agency_code=args.agency,
            neighbourhood_codes=args.neighbourhood or (),
            pages=tuple(args.page or (access.HOME,)),
            days=args.days,
            expires_at=_expires(args.expires),
            label=args.label or "",
        )
        out.write(f"{link.id}\n{url}\n")
        until = access.format_kst(link.expires_at)
        err.write(
            f"링크를 만들었습니다 ({until}까지)\n"
            if ko
            else f"Link created (valid until {until})\n"
        )
        return 0
    if args.share_command == "list":
        with engine.connect() as conn:
            rows = [_row(link) for link in q.select_links(conn)]
        if args.format == "json":
            json.dump(rows, out, ensure_ascii=False, indent=2)
            out.write("\n")
        else:
            _write_table(rows, args.lang, out)
        return 0
    link = access.revoke_link(engine, args.id, by=operator(), role="cli")
    err.write(f"폐기했습니다: {link.id}\n" if ko else f"Revoked: {link.id}\n")
    return 0


def add_parser(sub: argparse._SubParsersAction, handler) -> None:
    """The `share` command and its three subcommands."""
    p = sub.add_parser("share", help="partner share links: create, list, revoke")
    p.set_defaults(func=handler)
    commands = p.add_subparsers(dest="share_command", required=True)
    c = commands.add_parser("create", help="make a link; prints its id and URL")
    scope = c.add_mutually_exclusive_group(required=True)
    scope.add_argument("--agency", help="the agency code the link is for")
    scope.add_argument(
        "--neighbourhood", action="append", help="a neighbourhood code (repeat for several)"
    )
    when = c.add_mutually_exclusive_group()
    when.add_argument("--days", type=int, help="valid for N days (default ITDA_SHARE_DAYS, ≤ 365)")
    when.add_argument("--expires", help="valid until YYYY-MM-DDTHH:MM (Korean time)")
    c.add_argument("--label", help="what the link is for (shown on its pages)")
    c.add_argument(
        "--page",
        action="append",
        choices=access.LINK_PAGES,
        help="pages it opens (default: home, the scope's own page); repeat to add definitions",
    )
    ls = commands.add_parser("list", help="every link with its use")
    ls.add_argument("--format", choices=["table", "json"], default="table")
    r = commands.add_parser("revoke", help="stop a link from opening")
    r.add_argument("id", help="the link's id")
