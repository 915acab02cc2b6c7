"""Access through the app (AppTest on 테스트시, SQLite and PostgreSQL), tried as an attacker would.

AppTest has no cookies, so a link's token is presented as `?share=` (the app's fallback
for set-ups without the /share/ route; the browser tests use the route and its cookie).
Every refusal is checked to show its own page and nothing else: no tile, no table, no
chart, no name of a neighbourhood or agency outside the link.
"""

from __future__ import annotations

import datetime as dt
import json

import pyarrow as pa
import pytest
import sqlalchemy as sa
from streamlit.testing.v1 import AppTest
from streamlit.util import calc_hash

from lib import access
from lib.db import engine_for
from lib.models import AuditEvent, ShareLink
from tests.apptest import APP, TIMEOUT
from tests.fixture_city import A, B, C

SECRET = "t" * 40
NAMES = {A: "온양1동", B: "배방읍", C: "송악면"}
AGENCY_NAMES = {
    "AG01": "희망복지지원단",
    "AG02": "온양1동 행정복지센터",
    "AG03": "테스트종합사회복지관",
    "AG04": "테스트지역자활센터",
    "AG05": "테스트정신건강복지센터",
}


@pytest.fixture
def app_db(city_url, monkeypatch):
    monkeypatch.setenv("ITDA_SHARE_SECRET", SECRET)
    for name in ("ITDA_ACCESS_MODE", "ITDA_CONTACT", "ITDA_SMALL_COUNT_THRESHOLD"):
        monkeypatch.delenv(name, raising=False)
    return engine_for(city_url)


def make_link(engine, **kw) -> tuple[access.LinkRecord, str]:
    link, url = access.create_link(engine, created_by="kim@city.kr", **kw)
    return link, url.rsplit("/", 1)[1]


def run(page: str | None = None, user: dict | None = None, secrets: dict | None = None, **params):
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    for key, value in params.items():
        at.query_params[key] = value
    if user is not None:
        at.user = user
    for key, value in (secrets or {}).items():
        at.secrets[key] = value
    if page is not None:
        at._page_hash = calc_hash(page)
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def _chart_text(element) -> str:
    parts = [element.proto.spec]
    for dataset in element.proto.datasets:
        with pa.ipc.open_stream(dataset.data.data) as reader:
            parts.append(json.dumps(reader.read_all().to_pylist(), ensure_ascii=False, default=str))
    return "\n".join(parts)


def page_text(at: AppTest) -> str:
    """Every word and number the page sends: texts, tiles, tables, charts' data, HTML."""
    parts: list[str] = []
    for kind in ("title", "header", "subheader", "markdown", "caption", "code", "text"):
        parts += [str(e.value) for e in getattr(at, kind)]
    for kind in ("info", "warning", "error", "success"):
        parts += [str(e.value) for e in getattr(at, kind)]
    parts += [f"{m.label} {m.value} {m.delta}" for m in at.metric]
    parts += [e.value.to_csv() for e in at.dataframe]
    parts += [e.value.to_csv() for e in at.table]
    parts += [b.label for b in at.button]
    parts += [_chart_text(el) for el in at.get("vega_lite_chart")]
    parts += [el.proto.body for el in at.get("html")]
    return "\n".join(parts)


def refused(at: AppTest, title: str) -> str:
    """Assert the page is the refusal `title` and holds no data; returns its text."""
    assert [e.value for e in at.title] == [title]
    assert not at.metric and not at.dataframe and not at.table
    assert not at.get("vega_lite_chart")
    text = page_text(at)
    for name in [*NAMES.values(), *AGENCY_NAMES.values(), "테스트시"]:
        assert name not in text, name
    return text


def tiles(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def events(engine) -> list[tuple]:
    with engine.connect() as conn:
        stmt = sa.select(
            AuditEvent.action, AuditEvent.role, AuditEvent.link_id, AuditEvent.page,
            AuditEvent.outcome,
        ).order_by(AuditEvent.id)  # fmt: skip
        return [tuple(r) for r in conn.execute(stmt)]


# ---- a valid neighbourhood link -----------------------------------------------------------

# 송악면 (C) in 2024: one case identified (C18, never opened) → "<5"; none active → 0;
# one visit V06: 25 households visited (shown), 1 found → "<5".


def test_a_neighbourhood_link_shows_its_page_and_nothing_else(app_db):
    link, token = make_link(app_db, neighbourhood_codes=[C], label="송악면 추진단")
    at = run(share=token, period="2024")
    assert [e.value for e in at.title] == ["송악면"]
    shown = tiles(at)
    assert shown["발굴 가구"] == "<5"
    assert shown["진행 중 사례"] == "0"
    assert shown["방문 세대"] == "25"
    assert shown["방문 발굴 세대"] == "<5"
    text = page_text(at)
    assert "송악면 열람용 · 송악면 추진단 · " in text and " KST" in text  # the watermark
    for name in ("온양1동", "배방읍", "테스트시 전체", "시 전체"):
        assert name not in text, name
    # one use counted and audited, with the page view
    with app_db.connect() as conn:
        assert conn.execute(sa.select(ShareLink.uses)).scalar_one() == 1
    assert events(app_db)[1:] == [
        ("link_redeemed", "partner", link.id, None, "ok"),
        ("page_view", "partner", link.id, "start", "ok"),
    ]


def test_query_parameters_do_not_widen_a_link(app_db):
    _, token = make_link(app_db, neighbourhood_codes=[C])
    at = run(share=token, period="2024", scope="all", agency="AG03", neighbourhood=A, lang="ko")
    assert [e.value for e in at.title] == ["송악면"]
    assert tiles(at)["발굴 가구"] == "<5"
    text = page_text(at)
    assert "온양1동" not in text and "배방읍" not in text


@pytest.mark.parametrize(
    "page",
    [
        f"nb-{A}",
        f"nb-{B}",
        "city-overview",
        "case-sharing",
        "agency-AG03",
        "city-donations",
        "data-import",
        "share-links",
        "audit-log",
        "metric-definitions",  # not among this link's pages
    ],
)
def test_every_other_page_is_refused_under_a_neighbourhood_link(app_db, page):
    _, token = make_link(app_db, neighbourhood_codes=[C])
    at = run(page, share=token, period="2024")
    text = refused(at, "이 링크로는 열 수 없는 페이지입니다")
    assert "송악면" not in text
    assert events(app_db)[-1][3:] == (page, "out_of_scope")


def test_the_link_s_own_page_by_its_path_and_the_definitions_when_granted(app_db):
    _, token = make_link(app_db, neighbourhood_codes=[C], pages=["home", "definitions"])
    at = run(f"nb-{C}", share=token, period="2024")
    assert [e.value for e in at.title] == ["송악면"]
    at = run("metric-definitions", share=token)
    assert [e.value for e in at.title] == ["지표 정의"]


# ---- an agency link -----------------------------------------------------------------------

# AG05 in 2024 received R03 (연계완료, answered in 5 days), R06 (회수) and R09 (연계완료,
# 7 days): received 3 → "<5"; acceptance 2/2 and completion 2/2 over denominators of 2,
# and the median over 2 answers → not shown ("–"); nothing pending → 0. Its counterparts
# are AG01 and AG02; AG03 and AG04 never dealt with it.


def test_an_agency_link_shows_its_scorecard_suppressed(app_db):
    _, token = make_link(app_db, agency_code="AG05", label="정신건강 공유")
    at = run(share=token, period="2024")
    assert [e.value for e in at.title] == ["테스트정신건강복지센터"]
    shown = tiles(at)
    assert shown["수신 건수"] == "<5"
    assert shown["수락률"] == "–"
    assert shown["응답 소요일(중앙값)"] == "–"
    assert shown["연계 완료율"] == "–"
    assert shown["응답 대기"] == "0"
    text = page_text(at)
    assert "테스트정신건강복지센터 열람용 · 정신건강 공유 · " in text
    # (AG02 "온양1동 행정복지센터" is a counterpart: its name may show)
    for name in ("테스트종합사회복지관", "테스트지역자활센터", "배방읍", "송악면"):
        assert name not in text, name
    for case in ("C02", "C04", "C05", "C10", "C11", "C13", "C14", "C16", "C17"):
        assert case not in text, case


@pytest.mark.parametrize("page", ["agency-AG03", "agency-AG01", "case-sharing", f"nb-{A}"])
def test_another_agency_s_page_is_refused(app_db, page):
    _, token = make_link(app_db, agency_code="AG05")
    at = run(page, share=token, period="2024")
    refused(at, "이 링크로는 열 수 없는 페이지입니다")


# ---- broken links ----------------------------------------------------------------------------


def _tamper(token: str) -> str:
    payload, signature = token.split(".")
    return f"{payload}.{signature[:-2]}{'xy' if signature[-2:] != 'xy' else 'zw'}"


@pytest.mark.parametrize("page", [None, f"nb-{C}", "city-overview", "data-import"])
def test_a_tampered_link_shows_only_its_refusal(app_db, page):
    _, token = make_link(app_db, neighbourhood_codes=[C])
    at = run(page, share=_tamper(token), period="2024")
    refused(at, "올바르지 않은 링크입니다")
    assert events(app_db)[-1][0] == "access_denied" and events(app_db)[-1][4] == "tampered"


def test_a_link_signed_with_another_secret_is_refused(app_db):
    link, _ = make_link(app_db, agency_code="AG05")
    forged = access.make_token(link.id, "someone-else's-secret-of-forty-characters")
    refused(run(share=forged), "올바르지 않은 링크입니다")


def test_an_expired_link_is_refused(app_db):
    past = access.now_utc() - dt.timedelta(days=31)
    _, token = make_link(app_db, neighbourhood_codes=[C], days=30, now=past)
    text = refused(run(share=token, period="2024"), "유효 기간이 지난 링크입니다")
    assert "이 링크를 보내 준 담당자에게 새 링크를 요청하세요." in text


def test_a_revoked_link_is_refused_at_once(app_db, monkeypatch):
    link, token = make_link(app_db, agency_code="AG05")
    assert [e.value for e in run(share=token).title] == ["테스트정신건강복지센터"]
    access.revoke_link(app_db, link.id, by="boss@city.kr")
    monkeypatch.setenv("ITDA_CONTACT", "복지정책과 041-540-0000")
    text = refused(run(share=token, lang="en"), "This link has been revoked")
    assert "Contact: 복지정책과 041-540-0000" in text


# ---- signed-in staff and admins (oidc mode) -------------------------------------------------

AUTH = {
    "auth": {
        "redirect_uri": "http://127.0.0.1:8501/oauth2callback",
        "cookie_secret": "c" * 40,
        "client_id": "itda",
        "client_secret": "x",
        "server_metadata_url": "http://127.0.0.1:9/.well-known/openid-configuration",
    }
}


@pytest.fixture
def oidc(app_db, monkeypatch):
    monkeypatch.setenv("ITDA_ACCESS_MODE", "oidc")
    monkeypatch.setenv("ITDA_ADMIN_EMAILS", "boss@city.kr")
    monkeypatch.setenv("ITDA_STAFF_EMAILS", "kim@city.kr")
    monkeypatch.setenv("ITDA_STAFF_GROUPS", "welfare")
    return app_db


def _user(email: str, **claims) -> dict:
    return {"is_logged_in": True, "email": email, **claims}


@pytest.mark.parametrize("page", [None, f"nb-{A}", "data-import", "audit-log", "agency-AG03"])
def test_a_visitor_without_sign_in_or_link_sees_only_the_sign_in_page(oidc, page):
    at = run(page, user={"is_logged_in": False}, secrets=AUTH, period="2024")
    assert [e.value for e in at.title] == ["로그인"]
    assert [b.label for b in at.button] == ["로그인"]
    assert not at.metric and not at.dataframe and not at.get("vega_lite_chart")
    text = page_text(at)
    for name in [*NAMES.values(), *AGENCY_NAMES.values()]:
        assert name not in text, name
    assert not at.selectbox  # no period filter either


def test_staff_see_the_dashboard_but_not_the_admin_pages(oidc):
    at = run(user=_user("kim@city.kr"), secrets=AUTH, period="2024")
    assert tiles(at)["발굴 가구"] == "13"  # the city's 2024 total (tests/test_app_pages.py)
    assert "직원" in [c.value for c in at.caption]
    for page in ("data-import", "audit-log"):
        at = run(page, user=_user("kim@city.kr"), secrets=AUTH)
        refused(at, "관리자만 열 수 있는 페이지입니다")
    at = run("share-links", user=_user("lee@city.kr", groups=["welfare"]), secrets=AUTH)
    assert [e.value for e in at.title] == ["공유 링크"]


def test_admins_open_the_data_and_audit_pages(oidc):
    at = run("data-import", user=_user("boss@city.kr"), secrets=AUTH)
    assert [e.value for e in at.title] == ["데이터 가져오기"]
    at = run("audit-log", user=_user("boss@city.kr"), secrets=AUTH)
    assert [e.value for e in at.title] == ["감사 기록"]
    assert "관리자" in [c.value for c in at.caption]


def test_a_signed_in_user_without_a_role_is_refused(oidc):
    at = run(user=_user("stranger@mail.kr"), secrets=AUTH, period="2024")
    text = refused(at, "잇다를 쓸 권한이 없습니다")
    assert "stranger@mail.kr" in text
    assert [b.label for b in at.button] == ["로그아웃"]


def test_sign_ins_are_audited_once(oidc):
    run(user=_user("kim@city.kr", iat=1764590000), secrets=AUTH)
    run(user=_user("kim@city.kr", iat=1764590000), secrets=AUTH)  # the same sign-in, again
    run(user=_user("kim@city.kr", iat=1764599999), secrets=AUTH)  # a new one
    sign_ins = [e for e in events(oidc) if e[0] == "sign_in"]
    assert len(sign_ins) == 2


def test_the_app_refuses_to_run_in_oidc_mode_without_a_secret(oidc, monkeypatch):
    monkeypatch.delenv("ITDA_SHARE_SECRET")
    at = run(user=_user("boss@city.kr"), secrets=AUTH)
    (error,) = at.error
    assert "ITDA_SHARE_SECRET" in error.value
    assert not at.metric


# ---- the share-link and audit pages ------------------------------------------------------


def _links(engine) -> list[tuple]:
    with engine.connect() as conn:
        stmt = sa.select(
            ShareLink.created_by, ShareLink.agency_code, ShareLink.label, ShareLink.revoked_by
        ).order_by(ShareLink.created_at)
        return [tuple(r) for r in conn.execute(stmt)]


def test_staff_make_a_link_on_the_page_and_see_its_address_once(oidc):
    staff = _user("kim@city.kr")
    at = run("share-links", user=staff, secrets=AUTH)
    at.selectbox(key="link_agency").set_value("AG03")
    at.text_input(key="link_label").input("복지관 점검")
    next(b for b in at.button if b.label == "링크 만들기").click()
    at.run()
    assert not at.exception
    success = at.success[0].value
    assert success.startswith("링크 ") and success.endswith("를 만들었습니다.")
    # (the sidebar's copy-link box is a code block too)
    (code,) = [c.value for c in at.code if "/share/" in c.value]
    assert code.startswith("http://localhost:8501/share/")
    assert _links(oidc) == [("kim@city.kr", "AG03", "복지관 점검", None)]
    table = at.dataframe[0].value
    assert table["범위"].tolist() == ["테스트종합사회복지관"]
    assert table["상태"].tolist() == ["사용 중"]


def test_staff_see_and_revoke_their_own_links_and_admins_every_link(oidc):
    mine, _ = make_link(oidc, agency_code="AG01", label="mine")
    access.create_link(oidc, created_by="other@city.kr", agency_code="AG02", label="theirs")
    at = run("share-links", user=_user("kim@city.kr"), secrets=AUTH)
    assert "내가 만든 링크" in [s.value for s in at.subheader]
    assert at.dataframe[0].value["이름"].tolist() == ["mine"]
    at.selectbox(key="revoke_link").set_value(mine.id)
    at.checkbox(key="revoke_confirm").check()
    next(b for b in at.button if b.label == "폐기").click()
    at.run()
    assert _links(oidc)[0] == ("kim@city.kr", "AG01", "mine", "kim@city.kr")
    at = run("share-links", user=_user("boss@city.kr"), secrets=AUTH)
    assert "모든 링크" in [s.value for s in at.subheader]
    assert sorted(at.dataframe[0].value["이름"]) == ["mine", "theirs"]


def test_revoking_needs_the_confirmation(oidc):
    link, _ = make_link(oidc, agency_code="AG01")
    at = run("share-links", user=_user("kim@city.kr"), secrets=AUTH)
    next(b for b in at.button if b.label == "폐기").click()
    at.run()
    assert [w.value for w in at.warning] == ["폐기하려면 확인란을 선택하세요."]
    assert _links(oidc)[0][3] is None


def test_the_audit_page_filters_by_link(oidc):
    first, token = make_link(oidc, neighbourhood_codes=[C])
    second, _ = make_link(oidc, agency_code="AG05")
    run(share=token, period="2024", secrets=AUTH)  # used once: redeemed, one page view
    at = run("audit-log", user=_user("boss@city.kr"), secrets=AUTH)
    everything = at.dataframe[0].value
    assert set(everything["무엇을"]) >= {"링크 생성", "링크 사용", "페이지 열람", "로그인"}
    assert everything.columns.tolist()[:4] == ["시각(KST)", "누가", "권한", "무엇을"]
    assert all(v.endswith(" KST") for v in everything["시각(KST)"])
    at.text_input(key="audit_link").input(first.id)
    at.run()
    only = at.dataframe[0].value
    # newest first: the page view, the use, the creation
    assert only["무엇을"].tolist() == ["페이지 열람", "링크 사용", "링크 생성"]
    assert set(only["링크"]) == {first.id} and second.id not in only.to_csv()
    assert only["누가"].tolist() == [f"링크 {first.id}", f"링크 {first.id}", "kim@city.kr"]


def test_sign_out_is_audited(oidc):
    at = run(user=_user("kim@city.kr", iat=1764590000), secrets=AUTH)
    at.button(key="sign-out").click()
    at.run()
    assert [(e[0], e[1]) for e in events(oidc) if e[0].startswith("sign_")] == [
        ("sign_in", "staff"),
        ("sign_out", "staff"),
    ]
    # (AppTest seeds `at.user` again on every run; the browser test checks where it lands)
