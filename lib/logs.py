"""The server log: text for people (default) or one JSON object per line (ITDA_LOG_FORMAT=json).

`setup()` runs once at start (app.py, and dashboard.py for `streamlit run dashboard.py`); it
configures the `itda` loggers and, in json mode, Streamlit's own console handlers too, so
every line on stderr is one object a city's log collector can parse.

A JSON line never carries personal data. Events are written through `event()` with named
fields, and only those fields are written (the text message is for people):

- `page_view`: the page's path, the kind of viewer (admin, staff, partner, anonymous, none),
  a share link's id as a short SHA-256 (never the id, which names the link in the audit
  log), seconds. Never a name, an e-mail or a query string.
- `import`: mode, outcome, rows per sheet, problems, seconds (never the file's name, which
  a person chose).
- `error`: any line with an exception: its class and where it was raised (file:line in
  function), never its message (a database error quotes the values it refused) or a
  traceback's locals.
- `audit_retention`: days kept and entries deleted.

Any other line keeps its message with e-mail addresses replaced and query strings dropped,
cut to 300 characters.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import re
import sys
import traceback
from pathlib import Path
from typing import Any

from lib import config

LOGGER = "itda"
# Modules that name their logger by `__name__` (lib.i18n, lib.ingest.write) log under "lib".
_MODULE_LOGGER = "lib"
TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
_PROJECT_ROOT = Path(__file__).resolve().parent.parent
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# "?period=2024&name=…" after a path or URL: the parameters' values are the visitor's text.
_QUERY = re.compile(r"\?\S*")
_MESSAGE_CHARS = 300


def link_hash(link_id: str) -> str:
    """A share link's id as the log writes it: 12 hex digits of its SHA-256."""
    return hashlib.sha256(link_id.encode("utf-8")).hexdigest()[:12]


def redact(text: str) -> str:
    """`text` without e-mail addresses and query strings, on one line, at most 300 chars."""
    text = _QUERY.sub("?…", _EMAIL.sub("<email>", text))
    text = " ".join(text.split())
    return text if len(text) <= _MESSAGE_CHARS else text[: _MESSAGE_CHARS - 1] + "…"


def event(logger: logging.Logger, name: str, message: str, *args: object, **fields: Any) -> None:
    """Log `message % args` for people and, in json mode, the event `name` with `fields`."""
    logger.info(message, *args, extra={"itda_event": name, "itda_fields": fields})


def page_view(logger: logging.Logger, path: str, viewer: Any, seconds: float) -> None:
    """One drawn page: its path, the viewer's kind (role) and, for a link, the link's hash."""
    link = getattr(viewer, "link", None)
    fields: dict[str, Any] = {
        "page": path.split("?", 1)[0][:200],
        "viewer": str(getattr(viewer, "role", "unknown")),
        "seconds": round(seconds, 3),
    }
    if link is not None:
        fields["link"] = link_hash(str(link.id))
    event(logger, "page_view", "page %s drawn in %.3f s", path, seconds, **fields)


def _where(tb: Any) -> str:
    """The innermost frame of the traceback in Itda's own code (else the innermost frame)."""
    frames = traceback.extract_tb(tb)
    if not frames:
        return ""
    chosen = frames[-1]
    for frame in reversed(frames):
        if Path(frame.filename).resolve().is_relative_to(_PROJECT_ROOT):
            chosen = frame
            break
    path = Path(chosen.filename).resolve()
    name = path.relative_to(_PROJECT_ROOT) if path.is_relative_to(_PROJECT_ROOT) else path.name
    return f"{name}:{chosen.lineno} in {chosen.name}"


class JsonFormatter(logging.Formatter):
    """One JSON object per record, on one line, without personal data (see the module)."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "time": dt.datetime.fromtimestamp(record.created, dt.UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname.lower(),
            "logger": record.name,
        }
        name = getattr(record, "itda_event", None)
        if name:
            line["event"] = name
            line.update(getattr(record, "itda_fields", {}))
        else:
            try:
                message = record.getMessage()
            except Exception:  # a bad format string must not lose the line
                message = str(record.msg)
            line["message"] = redact(message)
        if record.exc_info and record.exc_info[0] is not None:
            line.setdefault("event", "error")
            line["error"] = record.exc_info[0].__name__
            line["where"] = _where(record.exc_info[2])
            line["logged_at"] = f"{record.module}:{record.lineno}"
        return json.dumps(line, ensure_ascii=False, default=str)


def _formatter(kind: str) -> logging.Formatter:
    return JsonFormatter() if kind == "json" else logging.Formatter(TEXT_FORMAT)


def _json_for_streamlit() -> None:
    """Streamlit's loggers each have a console handler of their own: give them the JSON
    formatter, now and whenever Streamlit sets one up again (it does after reading its
    configuration, and for loggers made later)."""
    try:
        from streamlit import logger as st_logger
    except ImportError:
        return
    for existing in list(st_logger._loggers.values()):
        handler = getattr(existing, "streamlit_console_handler", None)
        if handler is not None:
            handler.setFormatter(JsonFormatter())
    original = st_logger.setup_formatter
    if getattr(original, "itda_json", False):
        return

    def setup_formatter(logger: logging.Logger) -> None:
        original(logger)
        handler = getattr(logger, "streamlit_console_handler", None)
        if handler is not None:
            handler.setFormatter(JsonFormatter())

    setup_formatter.itda_json = True  # type: ignore[attr-defined]
    st_logger.setup_formatter = setup_formatter


def setup(kind: str | None = None, stream: Any = None) -> logging.Logger:
    """Configure the `itda` logger: the format of ITDA_LOG_FORMAT (or `kind`), on stderr (or
    `stream`). Called on every script run, it does nothing once the logger is set up."""
    root = logging.getLogger(LOGGER)
    handler = next((h for h in root.handlers if getattr(h, "itda_handler", False)), None)
    if handler is not None and kind is None and stream is None:
        return root
    requested = kind or str(config.get("ITDA_LOG_FORMAT")).strip().lower()
    kind = requested if requested in ("text", "json") else "text"
    if handler is None or (stream is not None and handler.stream is not stream):
        if handler is not None:
            root.removeHandler(handler)
        handler = logging.StreamHandler(stream or sys.stderr)
        handler.itda_handler = True  # type: ignore[attr-defined]
        root.addHandler(handler)
    handler.setFormatter(_formatter(kind))
    root.setLevel(logging.INFO)
    root.propagate = False
    modules = logging.getLogger(_MODULE_LOGGER)
    for old in [h for h in modules.handlers if getattr(h, "itda_handler", False)]:
        modules.removeHandler(old)
    modules.addHandler(handler)  # it still propagates: pytest's caplog sees its lines
    modules.setLevel(logging.INFO)
    if kind == "json":
        _json_for_streamlit()
    if requested != kind:
        root.warning("ITDA_LOG_FORMAT must be text or json, not %r: using text", requested[:20])
    return root
