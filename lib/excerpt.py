"""What a visitor typed, shown back safely: a short excerpt as plain text.

Addresses, query parameters, uploaded file and sheet names and CLI arguments are the
visitor's text. Wherever Itda echoes one ("기간 `2024-13`을(를) 이해할 수 없어 …"), it shows
at most `LIMIT` characters with control and format characters removed (NUL, escapes,
bidirectional overrides that would reorder the sentence around them), so an attacker's
free text never appears at length as if the city had written it. `literal` then puts the
excerpt in a Markdown code span: Streamlit renders `st.warning`/`st.error` bodies as
Markdown, and inside a code span nothing is a link, an image, a directive (`:red[…]`,
`:material/…:`), math or HTML. Pure functions: the importer and the CLI use them too.
"""

from __future__ import annotations

import re
import unicodedata

LIMIT = 40  # characters of the visitor's text shown back, at most
ELLIPSIS = "…"


def excerpt(text: object, limit: int = LIMIT) -> str:
    """At most `limit` characters of `text` (then "…"), without control or format
    characters (Unicode category C: NUL, ESC, BEL, zero-width and bidi marks) and with
    every run of whitespace made one space."""
    raw = "" if text is None else str(text)
    # Only a bounded prefix is looked at: a 100 KB parameter costs no more than a short one.
    head = raw[: limit * 4 + 16]
    kept = "".join(
        " " if ch.isspace() else ch for ch in head if ch.isspace() or not _is_control(ch)
    )
    kept = re.sub(r" {2,}", " ", kept).strip()
    if len(kept) > limit or len(raw) > len(head):
        return kept[:limit].rstrip() + ELLIPSIS
    return kept


def _is_control(ch: str) -> bool:
    return unicodedata.category(ch).startswith("C")


def literal(text: object, limit: int = LIMIT) -> str:
    """`excerpt(text)` as a Markdown code span: shown verbatim, never interpreted.

    The fence is one backtick longer than the longest run of backticks inside (CommonMark),
    with a space either side so a backtick at the edge stays text."""
    shown = excerpt(text, limit)
    if not shown:
        return "` `"
    longest = max((len(run) for run in re.findall(r"`+", shown)), default=0)
    fence = "`" * (longest + 1)
    if longest or shown.startswith(" ") or shown.endswith(" "):
        return f"{fence} {shown} {fence}"
    return f"{fence}{shown}{fence}"
