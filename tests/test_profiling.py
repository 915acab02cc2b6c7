"""lib/profiling.py: off it does nothing; on, one JSON line per script run with its SQL."""

from __future__ import annotations

import datetime as dt
import decimal
import json
import threading

import sqlalchemy as sa

from lib import profiling


def test_parameters_survive_json():
    params = {
        "d": dt.date(2025, 1, 1),
        "t": dt.datetime(2025, 1, 1, 9, 30),
        "m": decimal.Decimal("1.50"),
        "codes": ["4420051000", "4420052000"],
        "pair": (1, None),
        "b": b"\x00\xff",
    }
    assert profiling.decode(json.loads(json.dumps(profiling.encode(params)))) == params
    assert profiling.decode(profiling.encode(("a", 2))) == ("a", 2)


def test_off_writes_nothing_and_times_nothing(tmp_path, monkeypatch):
    monkeypatch.delenv("ITDA_PROFILE", raising=False)
    with profiling.script_run():
        profiling.note_page("nb-1", 0.1)  # no run: ignored
    assert not profiling.enabled()
    assert list(tmp_path.iterdir()) == []


def test_one_line_per_run_with_this_threads_sql_only(tmp_path, monkeypatch):
    out = tmp_path / "profile.jsonl"
    monkeypatch.setenv("ITDA_PROFILE", str(out))
    monkeypatch.setenv("ITDA_PROFILE_STATEMENTS", "1")
    engine = sa.create_engine(f"sqlite:///{tmp_path / 'p.db'}")
    other_done = threading.Event()

    def other_thread() -> None:  # not part of the run: another session's work
        with engine.connect() as conn:
            conn.execute(sa.text("SELECT 42"))
        other_done.set()

    with profiling.script_run():
        with engine.connect() as conn:
            conn.execute(sa.text("SELECT :d"), {"d": dt.date(2025, 3, 1)})
            conn.execute(sa.text("SELECT 1"))
        worker = threading.Thread(target=other_thread)
        worker.start()
        worker.join()
        profiling.note_page("nb-4420051000", 0.01)
    assert other_done.is_set()
    (line,) = [json.loads(x) for x in out.read_text().splitlines()]
    assert line["page"] == "nb-4420051000"
    assert line["statements"] == 2
    assert 0 < line["sql_s"] <= line["script_s"]
    assert line["cpu_s"] >= 0 and line["page_s"] == 0.01 and line["status"] == "ok"
    first = line["sql"][0]
    assert first["sql"] == "SELECT ?"
    assert profiling.decode(first["params"]) == (dt.date(2025, 3, 1),)
    engine.dispose()


def test_an_interrupted_run_is_written_too(tmp_path, monkeypatch):
    out = tmp_path / "profile.jsonl"
    monkeypatch.setenv("ITDA_PROFILE", str(out))
    monkeypatch.delenv("ITDA_PROFILE_STATEMENTS", raising=False)

    class Rerun(BaseException):  # as Streamlit's RerunException
        pass

    try:
        with profiling.script_run():
            raise Rerun()
    except Rerun:
        pass
    (line,) = [json.loads(x) for x in out.read_text().splitlines()]
    assert line["status"] == "Rerun" and line["page"] is None and "sql" not in line


def test_the_cold_file_is_used_once(tmp_path, monkeypatch):
    out, cold = tmp_path / "profile.jsonl", tmp_path / "cold"
    monkeypatch.setenv("ITDA_PROFILE", str(out))
    monkeypatch.setenv("ITDA_PROFILE_COLD_FILE", str(cold))
    cold.write_text("x")
    for _ in range(2):
        with profiling.script_run():
            pass
    lines = [json.loads(x) for x in out.read_text().splitlines()]
    assert [line["cleared"] for line in lines] == [True, False]
    assert not cold.exists()
