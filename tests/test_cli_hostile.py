"""Hostile CLI arguments (`python -m lib.cli …` on the fixture city): absurd periods and
dates, unknown codes, SQL fragments, control characters, unknown options, paths that do
not exist, are folders or are binary. Each gets one clear line in the CLI's language
(`--lang`, else ITDA_DEFAULT_LANG), exit code 2, no traceback; what was typed comes back
at most as a short excerpt without control characters; nothing is written.
"""

from __future__ import annotations

import os
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest

from lib.cli import main
from tests.fixture_city import load_fixture_city
from tests.test_import_workbooks import row_counts

pytestmark = pytest.mark.parametrize("empty_db_url", ["sqlite"], indirect=True)

ROOT = Path(__file__).resolve().parent.parent
HUGE = "9" * 100_000
ESCAPES = "\x1b[31m2024\x07\u202e"


@pytest.fixture
def url(db_url, engine):
    with engine.begin() as conn:
        load_fixture_city(conn)
    return db_url


def _run(url, capsys, *args: str, lang: str | None = "ko") -> tuple[int, str, str]:
    try:
        code = main(["--database-url", url, *(["--lang", lang] if lang else []), *args])
    except SystemExit as exit_:  # argparse's refusals exit from parse_args
        code = exit_.code
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def _clean(err: str) -> None:
    assert "Traceback" not in err and len(err) < 1200, err[:2000]
    assert not any(unicodedata.category(c).startswith("C") for c in err.replace("\n", "")), repr(
        err
    )


KPIS = [
    (["--period", "99999"], "기간을 이해할 수 없습니다: '99999'.", "Invalid period '99999'"),
    (["--period", "0000"], "기간을 이해할 수 없습니다: '0000'.", "years must lie within 1900–2100"),
    (["--period", "0001-01-01..9999-12-31"], "기간을 이해할 수 없습니다: '0001-01-01..9999-12-31'", "years must lie within"),
    (["--period", HUGE], "기간을 이해할 수 없습니다: '" + "9" * 40 + "…'.", "Invalid period '" + "9" * 40 + "…'"),
    (["--period", ESCAPES], "기간을 이해할 수 없습니다: '[31m2024'.", "Invalid period '[31m2024'"),
    (["--from", "0001-01-01", "--to", "9999-12-31"], "기간을 이해할 수 없습니다: years must lie", "Invalid period: years must lie"),
    (["--scope", "nb-XXXX"], "알 수 없는 읍면동 코드입니다: 'nb-XXXX'.", "Unknown neighbourhood code: 'nb-XXXX'."),
    (["--scope", "' OR 1=1--"], "알 수 없는 읍면동 코드입니다: \"' OR 1=1--\".", "Unknown neighbourhood code"),
    (["--agency", "<script>" + "x" * 100], "알 수 없는 기관 코드입니다: '<script>" + "x" * 32 + "…'.", "Unknown agency code"),
    (["--from", "2024-13-01"], "명령을 이해할 수 없습니다: argument --from: not a date YYYY-MM-DD: '2024-13-01'.", "Cannot understand the command: argument --from"),
    (["--format", "xml"], "명령을 이해할 수 없습니다: argument --format: invalid choice", "Cannot understand the command: argument --format"),
]  # fmt: skip


@pytest.mark.parametrize(("args", "ko", "en"), KPIS, ids=[f"kpis{i}" for i in range(len(KPIS))])
def test_bad_kpis_arguments(url, capsys, args, ko, en):
    for lang, expected in (("ko", ko), ("en", en)):
        code, out, err = _run(url, capsys, "kpis", *args, lang=lang)
        assert (code, out) == (2, ""), err
        assert expected in err, err
        _clean(err)


def test_the_language_comes_from_the_setting_without_lang(url, capsys, monkeypatch):
    monkeypatch.setenv("ITDA_DEFAULT_LANG", "en")
    code, _, err = _run(url, capsys, "kpis", "--period", "2024-13", lang=None)
    assert code == 2 and err.startswith("Invalid period '2024-13'")
    code, _, err = _run(url, capsys, "kpis", "--bogus", lang=None)
    assert code == 2 and "Cannot understand the command: unrecognized arguments: --bogus" in err
    # an unknown language is itself a bad argument, told in the setting's language
    code, _, err = _run(url, capsys, "--lang", "fr", "kpis", lang=None)
    assert code == 2 and "Cannot understand the command: argument --lang: invalid choice" in err
    monkeypatch.setenv("ITDA_DEFAULT_LANG", "ko")
    code, _, err = _run(url, capsys, "nosuchcommand", lang=None)
    assert code == 2 and "명령을 이해할 수 없습니다: argument command: invalid choice" in err


def test_bad_paths(url, engine, capsys, tmp_path):
    before = row_counts(engine)
    binary = tmp_path / "data.xlsx"
    binary.write_bytes(bytes(range(256)) * 40)
    (tmp_path / "empty").mkdir()
    cases = [
        (["import", str(tmp_path / "missing.xlsx")], "파일을 찾을 수 없습니다"),
        (["import", str(tmp_path / "empty")], "empty: .csv 파일이 없습니다"),
        (["import", str(binary)], "data.xlsx: 엑셀 통합문서(.xlsx)가 아닙니다."),
        (["import", "/dev/null"], "파일을 찾을 수 없습니다: /dev/null"),
        (["template", str(tmp_path)], f"-o 에는 파일 이름을 쓰세요. 폴더입니다: {tmp_path}"),
        (["template", str(tmp_path / "no" / "t.xlsx")], "저장할 폴더가 없습니다"),
        (["export", str(tmp_path / "no" / "e.xlsx")], "저장할 폴더가 없습니다"),
        (
            ["report", "--period", "0000", "-o", str(tmp_path / "r.pdf")],
            "기간을 이해할 수 없습니다",
        ),
        (["boundaries", "import", str(tmp_path)], "파일을 읽을 수 없습니다"),
    ]
    for args, message in cases:
        code, out, err = _run(url, capsys, *args)
        assert code == 2 and message in err, (args, code, err)
        _clean(err)
    assert not (tmp_path / "no").exists() and not (tmp_path / "r.pdf").exists()
    assert row_counts(engine) == before


@pytest.mark.slow
def test_no_traceback_from_a_real_process(url, tmp_path):
    """The module run as operators run it: a binary file and escapes in a period."""
    binary = tmp_path / "x.xlsx"
    binary.write_bytes(os.urandom(2048))
    for args in (["import", str(binary)], ["kpis", "--period", ESCAPES], ["kpis", "--x"]):
        done = subprocess.run(
            [sys.executable, "-m", "lib.cli", "--database-url", url, *args],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=120,
            env={**os.environ, "ITDA_DEFAULT_LANG": "ko"},
        )
        assert done.returncode == 2, done.stderr
        _clean(done.stderr)
