"""Access control without Streamlit: roles, start-up checks, share links and their audit.

Every database test runs on SQLite and PostgreSQL (the `city_url` fixture: 테스트시).
"""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
import sqlalchemy as sa
from itsdangerous import URLSafeSerializer

from lib import access, cli
from lib.access import LinkProblem
from lib.db import engine_for
from lib.errors import UserError
from lib.models import AppSecret, AuditEvent, ShareLink
from tests.fixture_city import A, B

SECRET = "s" * 40
NOW = dt.datetime(2026, 12, 1, 12, 0, tzinfo=dt.UTC)


@pytest.fixture
def engine(city_url, monkeypatch):
    monkeypatch.setenv("ITDA_SHARE_SECRET", SECRET)
    monkeypatch.delenv("ITDA_ACCESS_MODE", raising=False)
    monkeypatch.delenv("ITDA_SHARE_DAYS", raising=False)
    return engine_for(city_url)


def _count(engine, model) -> int:
    with engine.connect() as conn:
        return conn.execute(sa.select(sa.func.count()).select_from(model)).scalar_one()


def _events(engine) -> list[tuple[str, str, str | None, str]]:
    with engine.connect() as conn:
        rows = conn.execute(
            sa.select(
                AuditEvent.action, AuditEvent.actor, AuditEvent.link_id, AuditEvent.outcome
            ).order_by(AuditEvent.id)
        ).all()
    return [tuple(r) for r in rows]


# ---- roles and start-up -----------------------------------------------------------------


def test_roles_from_e_mails_and_groups(monkeypatch):
    monkeypatch.setenv("ITDA_ADMIN_EMAILS", "boss@city.kr, Chief@City.kr")
    monkeypatch.setenv("ITDA_STAFF_EMAILS", "kim@city.kr")
    monkeypatch.setenv("ITDA_ADMIN_GROUPS", "itda-admins")
    monkeypatch.setenv("ITDA_STAFF_GROUPS", "welfare,outreach")
    assert access.role_for("chief@city.kr", []) == access.ADMIN  # e-mails ignore case
    assert access.role_for("kim@city.kr", None) == access.STAFF
    assert access.role_for("lee@city.kr", ["outreach"]) == access.STAFF
    assert access.role_for("lee@city.kr", "itda-admins") == access.ADMIN  # a lone group
    assert access.role_for("kim@city.kr", ["itda-admins"]) == access.ADMIN  # admin wins
    assert access.role_for("lee@city.kr", ["parks"]) == access.NO_ROLE
    assert access.role_for("", []) == access.NO_ROLE


def test_open_mode_starts_without_anything(monkeypatch):
    monkeypatch.delenv("ITDA_ACCESS_MODE", raising=False)
    monkeypatch.delenv("ITDA_SHARE_SECRET", raising=False)
    assert access.startup_problems(auth_configured=False) == []


@pytest.mark.parametrize("secret", [None, "short-secret", "x" * 31])
def test_oidc_mode_refuses_to_start_without_a_long_secret(monkeypatch, secret):
    monkeypatch.setenv("ITDA_ACCESS_MODE", "oidc")
    if secret is None:
        monkeypatch.delenv("ITDA_SHARE_SECRET", raising=False)
    else:
        monkeypatch.setenv("ITDA_SHARE_SECRET", secret)
    problems = access.startup_problems(auth_configured=True)
    assert len(problems) == 1
    assert "ITDA_SHARE_SECRET" in problems[0].ko and "32" in problems[0].en


def test_oidc_mode_needs_a_provider(monkeypatch):
    monkeypatch.setenv("ITDA_ACCESS_MODE", "oidc")
    monkeypatch.setenv("ITDA_SHARE_SECRET", "x" * 32)
    assert access.startup_problems(auth_configured=True) == []
    (problem,) = access.startup_problems(auth_configured=False)
    assert "[auth]" in problem.ko


def test_unknown_mode_is_a_start_up_problem(monkeypatch):
    monkeypatch.setenv("ITDA_ACCESS_MODE", "ldap")
    (problem,) = access.startup_problems(auth_configured=True)
    assert "ldap" in problem.en


# ---- links --------------------------------------------------------------------------------


def test_a_link_opens_its_scope_and_is_audited(engine):
    link, url = access.create_link(
        engine, created_by="kim@city.kr", agency_code="AG03", label="복지관 공유", now=NOW
    )
    assert url.startswith("http://localhost:8501/share/")
    token = url.rsplit("/", 1)[1]
    assert link.expires_at == NOW + dt.timedelta(days=30)  # the default
    with engine.connect() as conn:
        opened = access.check_link(conn, token, SECRET, NOW + dt.timedelta(days=29))
    assert opened.id == link.id and opened.agency_code == "AG03"
    assert access.link_scope(opened) == access.Scope(agency_code="AG03", partner_view=True)
    assert _events(engine) == [("link_created", "kim@city.kr", link.id, "ok")]


def test_neighbourhood_link_scope_is_sorted_and_deduplicated(engine):
    link, _ = access.create_link(
        engine, created_by="kim", neighbourhood_codes=[B, A, B], now=NOW, days=1
    )
    assert link.neighbourhood_codes == (B, A)
    assert access.link_scope(link).neighbourhood_codes == (A, B)


def test_the_token_carries_only_the_id(engine):
    link, url = access.create_link(engine, created_by="kim", agency_code="AG01", now=NOW)
    token = url.rsplit("/", 1)[1]
    assert URLSafeSerializer(SECRET, salt="itda.share-link.v1").loads(token) == {"l": link.id}


def _token(engine, **kw) -> tuple[access.LinkRecord, str]:
    link, url = access.create_link(engine, created_by="kim", now=kw.pop("now", NOW), **kw)
    return link, url.rsplit("/", 1)[1]


def _problem(engine, token: str, secret: str = SECRET, now: dt.datetime = NOW) -> str:
    with engine.connect() as conn, pytest.raises(LinkProblem) as caught:
        access.check_link(conn, token, secret, now)
    return caught.value.reason


def test_tampered_tokens_are_refused(engine):
    _, token = _token(engine, agency_code="AG03")
    payload, signature = token.split(".")
    # A middle character: the last one of the base64 text also carries padding bits, so
    # changing it may leave the signature's bytes as they were.
    middle = len(signature) // 2
    flipped = (
        signature[:middle] + ("A" if signature[middle] != "A" else "B") + signature[middle + 1 :]
    )
    assert _problem(engine, f"{payload}.{flipped}") == access.TAMPERED
    # The payload swapped for another id, signature kept.
    other = URLSafeSerializer("x", salt="itda.share-link.v1").dumps({"l": "0000"}).split(".")[0]
    assert _problem(engine, f"{other}.{signature}") == access.TAMPERED
    assert _problem(engine, "not-a-token") == access.TAMPERED
    assert _problem(engine, "") == access.TAMPERED


def test_a_token_signed_with_another_secret_is_refused(engine):
    link, _ = _token(engine, agency_code="AG03")
    forged = access.make_token(link.id, "another-secret-of-forty-characters-long!!")
    assert _problem(engine, forged) == access.TAMPERED


def test_a_well_signed_token_for_no_link_is_unknown(engine):
    assert _problem(engine, access.make_token("deadbeef", SECRET)) == access.UNKNOWN


def test_expired_link(engine):
    _, token = _token(engine, agency_code="AG03", days=30)
    assert _problem(engine, token, now=NOW + dt.timedelta(days=30)) == access.EXPIRED
    with engine.connect() as conn:  # one second before, it still opens
        access.check_link(conn, token, SECRET, NOW + dt.timedelta(days=30, seconds=-1))


def test_revoked_link(engine):
    link, token = _token(engine, neighbourhood_codes=[A])
    revoked = access.revoke_link(engine, link.id, by="boss@city.kr", role=access.ADMIN, now=NOW)
    assert revoked.revoked_at == NOW and revoked.revoked_by == "boss@city.kr"
    assert _problem(engine, token) == access.REVOKED
    with pytest.raises(UserError, match="revoked already"):
        access.revoke_link(engine, link.id, by="boss@city.kr")
    with pytest.raises(UserError, match="No such link"):
        access.revoke_link(engine, "nope", by="boss@city.kr")
    assert [e[0] for e in _events(engine)] == ["link_created", "link_revoked"]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"agency_code": "AG99"}, "Unknown agency code: AG99"),
        ({"neighbourhood_codes": [A, "9999999999"]}, "Unknown neighbourhood code: 9999999999"),
        ({}, "either one agency or one or more neighbourhoods"),
        ({"agency_code": "AG01", "neighbourhood_codes": [A]}, "either one agency"),
        ({"agency_code": "AG01", "days": 0}, "1 to 365 days"),
        ({"agency_code": "AG01", "days": 366}, "1 to 365 days"),
        ({"agency_code": "AG01", "expires_at": NOW - dt.timedelta(minutes=1)}, "in the past"),
        ({"agency_code": "AG01", "expires_at": NOW + dt.timedelta(days=366)}, "at most 365"),
        ({"agency_code": "AG01", "days": 3, "expires_at": NOW}, "not both"),
        ({"agency_code": "AG01", "pages": ["definitions"]}, "always including home"),
        ({"agency_code": "AG01", "pages": ["home", "city-overview"]}, "among home"),
    ],
)
def test_bad_links_are_refused_and_nothing_is_written(engine, kwargs, message):
    with pytest.raises(UserError) as caught:
        access.create_link(engine, created_by="kim", now=NOW, **kwargs)
    assert message in caught.value.en
    assert caught.value.ko  # and a Korean sentence
    assert _count(engine, ShareLink) == 0 and _count(engine, AuditEvent) == 0


def test_a_naive_expiry_is_korean_time(engine):
    # 2026-12-02 09:00 KST is 2026-12-02 00:00 UTC.
    link, _ = _token(engine, agency_code="AG01", expires_at=dt.datetime(2026, 12, 2, 9, 0))
    assert link.expires_at == dt.datetime(2026, 12, 2, 0, 0, tzinfo=dt.UTC)


def test_open_mode_generates_one_secret_and_keeps_it(city_url, monkeypatch):
    monkeypatch.delenv("ITDA_SHARE_SECRET", raising=False)
    monkeypatch.delenv("ITDA_ACCESS_MODE", raising=False)
    engine = engine_for(city_url)
    first = access.share_secret(engine)
    assert len(first) >= access.MIN_SECRET_LENGTH
    assert access.share_secret(engine) == first
    assert _count(engine, AppSecret) == 1


def test_oidc_mode_never_generates_a_secret(city_url, monkeypatch):
    monkeypatch.delenv("ITDA_SHARE_SECRET", raising=False)
    monkeypatch.setenv("ITDA_ACCESS_MODE", "oidc")
    with pytest.raises(UserError, match="ITDA_SHARE_SECRET"):
        access.share_secret(engine_for(city_url))
    assert _count(engine_for(city_url), AppSecret) == 0


# ---- the CLI --------------------------------------------------------------------------------


def _cli(city_url, capsys, *args: str) -> tuple[int, str, str]:
    code = cli.main(["--database-url", city_url, "--lang", "en", "share", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_creates_lists_and_revokes_links(engine, city_url, capsys, monkeypatch):
    monkeypatch.setenv("ITDA_PUBLIC_URL", "https://itda.city.kr/")
    code, out, err = _cli(
        city_url, capsys, "create", "--neighbourhood", A, "--neighbourhood", B,
        "--days", "7", "--label", "행복키움추진단",
    )  # fmt: skip
    assert code == 0, err
    link_id, url = out.splitlines()
    assert url.startswith("https://itda.city.kr/share/")
    assert "Link created (valid until" in err
    with engine.connect() as conn:
        assert (
            access.check_link(conn, url.rsplit("/", 1)[1], SECRET, access.now_utc()).id == link_id
        )

    code, out, _ = _cli(city_url, capsys, "list", "--format", "json")
    (row,) = json.loads(out)
    assert row["id"] == link_id and row["label"] == "행복키움추진단"
    assert row["scope"] == f"nb:{A},{B}" and row["uses"] == 0 and row["revoked"] is None
    assert row["creator"].startswith("cli:")
    assert row["expires"].endswith("+09:00")  # shown in KST

    code, out, err = _cli(city_url, capsys, "revoke", link_id)
    assert code == 0 and f"Revoked: {link_id}" in err
    code, out, _ = _cli(city_url, capsys, "list")
    header, line = out.splitlines()
    assert header.split()[:3] == ["id", "label", "scope"]
    assert line.split()[0] == link_id and "+09:00" in line
    assert [e[0] for e in _events(engine)] == ["link_created", "link_revoked"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["create", "--agency", "AG99"], "Unknown agency code: AG99"),
        (["create", "--agency", "AG01", "--expires", "2020-01-01T09:00"], "in the past"),
        (["create", "--agency", "AG01", "--expires", "next week"], "YYYY-MM-DDTHH:MM"),
        (["revoke", "nope"], "No such link: nope"),
    ],
)
def test_cli_refuses_bad_links_with_a_clear_message(engine, city_url, capsys, args, message):
    code, out, err = _cli(city_url, capsys, *args)
    assert code == 1 and out == ""
    assert message in err and "Traceback" not in err
    assert _count(engine, ShareLink) == 0


def test_cli_speaks_korean_by_default(engine, city_url, capsys):
    code = cli.main(["--database-url", city_url, "share", "create", "--agency", "AG99"])
    assert code == 1
    assert "없는 기관 코드입니다: AG99" in capsys.readouterr().err


def test_cli_export_is_audited(engine, city_url, tmp_path):
    assert cli.main(["--database-url", city_url, "export", str(tmp_path / "x.xlsx")]) == 0
    ((action, actor, _, outcome),) = _events(engine)
    assert action == "export" and actor.startswith("cli:") and outcome == "ok"


def test_cli_import_is_audited(engine, city_url, tmp_path):
    path = tmp_path / "x.xlsx"
    assert cli.main(["--database-url", city_url, "export", str(path)]) == 0
    stream = io.StringIO()
    assert cli.main(["--database-url", city_url, "import", str(path)]) == 0, stream
    actions = [(e[0], e[3]) for e in _events(engine)]
    assert actions == [("export", "ok"), ("import", "ok")]
