"""Structured logs (lib.logs): ITDA_LOG_FORMAT=json writes one JSON object per line, page
views, imports and errors as events, and never a person's name, e-mail, a link's id or a
query string. Lines are captured from the handler `setup` installs and parsed back."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import logging
import os
from pathlib import Path

import pytest

from lib import access, logs
from lib.ingest.importer import import_path
from lib.queries.access import LinkRecord

EMAIL = "kim.minji@city.go.kr"
LINK_ID = "Lk7xQ2abCDef"


@pytest.fixture
def captured():
    """setup() onto a buffer; the loggers' handlers are put back afterwards."""
    saved = {
        name: (logging.getLogger(name).handlers[:], logging.getLogger(name).level)
        for name in ("itda", "lib")
    }
    buffer = io.StringIO()

    def start(kind: str | None) -> io.StringIO:
        logs.setup(kind, stream=buffer)
        return buffer

    yield start
    for name, (handlers, level) in saved.items():
        logger = logging.getLogger(name)
        logger.handlers[:] = handlers
        logger.setLevel(level)


def _lines(buffer: io.StringIO) -> list[dict]:
    text = buffer.getvalue()
    assert text.endswith("\n")
    return [json.loads(line) for line in text.splitlines()]  # every line is one object


def _link() -> LinkRecord:
    now = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    return LinkRecord(
        LINK_ID, "김민지 팀장용", None, ("4420051000",), (), EMAIL, now, now, None, None, 0, None
    )


def test_a_page_view_names_the_page_and_the_kind_of_viewer_only(captured) -> None:
    buffer = captured("json")
    log = logging.getLogger("itda.app")
    logs.page_view(log, "nb-4420051000", access.Viewer(access.STAFF, EMAIL), 0.12345)
    logs.page_view(log, "overview", access.Viewer(access.PARTNER, f"link:{LINK_ID}", _link()), 2)
    staff, partner = _lines(buffer)
    assert set(staff) == {"time", "level", "logger", "event", "page", "viewer", "seconds"}
    assert (staff["event"], staff["page"], staff["viewer"], staff["seconds"]) == (
        "page_view", "nb-4420051000", "staff", 0.123,
    )  # fmt: skip
    assert staff["logger"] == "itda.app" and staff["level"] == "info"
    assert dt.datetime.fromisoformat(staff["time"]).tzinfo is not None
    assert partner["viewer"] == "partner"
    # The link as 12 hex digits of its SHA-256.
    assert partner["link"] == hashlib.sha256(LINK_ID.encode()).hexdigest()[:12]
    text = buffer.getvalue()
    for secret in (EMAIL, "kim.minji", LINK_ID, "김민지"):
        assert secret not in text


def test_the_link_hash_is_sha256() -> None:
    # sha256("abc") = ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad
    assert logs.link_hash("abc") == "ba7816bf8f01"


def test_an_error_gives_its_class_and_place_never_its_message(captured) -> None:
    buffer = captured("json")
    try:
        raise ValueError(f"duplicate key (actor)=({EMAIL}) for 김민지")
    except ValueError:
        logging.getLogger("itda.ui").exception(
            "error while rendering %s?name=%s", "overview", EMAIL
        )
    (line,) = _lines(buffer)
    assert line["event"] == "error" and line["level"] == "error"
    assert line["error"] == "ValueError"
    assert line["where"].startswith("tests/test_logs.py:")
    assert line["where"].endswith("in test_an_error_gives_its_class_and_place_never_its_message")
    # The message stays, without its query string; the exception's text never appears.
    assert line["message"] == "error while rendering overview?…"
    assert EMAIL not in buffer.getvalue() and "김민지" not in buffer.getvalue()
    assert "Traceback" not in buffer.getvalue()


def test_other_lines_lose_e_mail_addresses_and_query_strings(captured) -> None:
    buffer = captured("json")
    log = logging.getLogger("lib.ingest.write")  # a module logger under "lib"
    log.warning("sent to %s from /nb-1?period=2024&who=%s\nsecond line", EMAIL, "x")
    log.info("x" * 400)
    first, long = _lines(buffer)
    assert first["message"] == "sent to <email> from /nb-1?… second line"
    assert first["logger"] == "lib.ingest.write" and first["level"] == "warning"
    assert len(long["message"]) == 300 and long["message"].endswith("…")


def test_an_import_logs_rows_per_sheet_outcome_and_seconds(captured, engine, tmp_path) -> None:
    from tests.test_import_workbooks import base, write_xlsx

    buffer = captured("json")
    path = write_xlsx(tmp_path / f"{EMAIL}.xlsx", base())  # a person's name as the file name
    result = import_path(engine, path, user=EMAIL, role="staff")
    assert result.ok
    (line,) = [x for x in _lines(buffer) if x.get("event") == "import"]
    assert line["outcome"] == "ok" and line["mode"] == "upsert" and line["dry_run"] is False
    assert line["rows_per_sheet"] == result.rows_per_sheet
    assert sum(line["rows_per_sheet"].values()) == 13 and line["problems"] == 0
    assert 0 < line["seconds"] < 60
    assert EMAIL not in buffer.getvalue()


def test_text_is_the_default_and_stays_one_readable_line(captured, monkeypatch) -> None:
    monkeypatch.delenv("ITDA_LOG_FORMAT", raising=False)
    buffer = captured(None)  # the setting's default
    logs.page_view(logging.getLogger("itda.app"), "overview", access.Viewer(access.STAFF, EMAIL), 1)
    assert buffer.getvalue().rstrip().endswith("INFO itda.app: page overview drawn in 1.000 s")


def test_the_setting_chooses_json_and_an_unknown_value_falls_back_to_text(
    captured, monkeypatch
) -> None:
    buffer = captured("text")
    monkeypatch.setenv("ITDA_LOG_FORMAT", "json")
    logs.setup(stream=buffer)
    logging.getLogger("itda.x").info("one")
    assert json.loads(buffer.getvalue().splitlines()[-1])["message"] == "one"
    monkeypatch.setenv("ITDA_LOG_FORMAT", "yaml")
    logs.setup(stream=buffer)
    logging.getLogger("itda.x").info("two")
    *_, warning, two = buffer.getvalue().splitlines()
    assert "ITDA_LOG_FORMAT must be text or json" in warning and two.endswith("itda.x: two")


def test_the_cli_writes_json_lines_of_its_imports(tmp_path):
    import subprocess
    import sys

    root = Path(__file__).resolve().parent.parent
    book = tmp_path / "이름있는파일.xlsx"
    db = f"sqlite:///{tmp_path / 'cli.db'}"
    env = {**os.environ, "ITDA_LOG_FORMAT": "json"}
    cli = [sys.executable, "-m", "lib.cli", "--database-url", db]
    subprocess.run(
        [*cli, "template", str(book)], cwd=root, env=env, check=True, capture_output=True
    )
    done = subprocess.run(
        [*cli, "import", str(book)], cwd=root, env=env, capture_output=True, text=True
    )
    lines = [json.loads(line) for line in done.stderr.splitlines() if line.startswith("{")]
    imports = [line for line in lines if line.get("event") == "import"]
    # the blank template holds no rows: an import of nothing, said in one JSON line
    assert len(imports) == 1 and imports[0]["outcome"] == "ok", done.stderr
    assert set(imports[0]["rows_per_sheet"].values()) == {0}
    assert "이름있는파일" not in json.dumps(lines, ensure_ascii=False)  # never the file's name
