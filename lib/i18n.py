"""The translation layer: every word the dashboard shows, in Korean and English, in one place.

`t(key, lang, **fmt)` returns the string for `lang` ("ko" default, "en"), formatted with
`str.format(**fmt)`. Metric names and definitions come from `lib.metric_defs` and
enumeration values from `lib.enums` (`enum_label`); everything else lives in `STRINGS`.
Other pages add their own keys here, grouped by page, so both languages stay side by side.
"""

from __future__ import annotations

import logging

from lib import enums

LANGS: tuple[str, ...] = ("ko", "en")
DEFAULT_LANG = "ko"

_log = logging.getLogger(__name__)

# key: (Korean, English)
STRINGS: dict[str, tuple[str, str]] = {
    # ---- app and navigation ---------------------------------------------------------
    "app.name": ("잇다", "Itda"),
    "app.tagline": ("민관 복지 네트워크 대시보드", "Public–private welfare network dashboard"),
    "nav.overview": ("시 전체 개요", "City overview"),
    "nav.section.main": ("", ""),
    "nav.section.neighbourhoods": ("읍면동", "Neighbourhoods"),
    "nav.section.network": ("협업 네트워크", "Agency network"),
    "nav.section.more": ("후원 · 정의 · 보고서", "Donations · definitions · reports"),
    "nav.section.admin": ("관리", "Admin"),
    "nav.donations": ("후원", "Donations"),
    "nav.network": ("사례공유 네트워크", "Case-sharing network"),
    "nav.definitions": ("지표 정의", "Metric definitions"),
    "nav.data": ("데이터 가져오기", "Data import"),
    "nav.links": ("공유 링크", "Share links"),
    "nav.audit": ("감사 기록", "Audit log"),
    "nav.sign_in": ("로그인", "Sign in"),
    "nav.refused": ("열 수 없는 페이지", "Page not available"),
    "nav.section.link": ("공유된 페이지", "Shared pages"),
    "nav.not_found": ("없는 페이지", "Page not found"),
    "tab.title": ("{page} · 잇다", "{page} · Itda"),
    "notfound.title": ("페이지를 찾을 수 없습니다", "Page not found"),
    "notfound.body": (
        "이 주소에는 페이지가 없습니다. 주소를 확인하거나 메뉴에서 페이지를 고르세요.",
        "There is no page at this address. Check it or choose a page from the menu.",
    ),
    "notfound.home": ("첫 화면으로 가기", "Go to the start page"),
    # ---- access: sign-in, refusals, banners -------------------------------------------
    "access.demo_banner": (
        "데모 모드: 로그인 없이 누구나 직원 권한",
        "Demo mode: anyone has staff rights without signing in",
    ),
    "signin.title": ("로그인", "Sign in"),
    "signin.body": (
        "잇다는 시 복지부서와 읍면동, 협업기관이 함께 쓰는 업무용 대시보드입니다. "
        "시청 계정으로 로그인하세요.",
        "Itda is the working dashboard of the city's welfare department, its "
        "neighbourhoods and partner agencies. Sign in with your city account.",
    ),
    "signin.button": ("로그인", "Sign in"),
    "signin.partners": (
        "협업기관은 담당 공무원에게 받은 공유 링크로 접속합니다.",
        "Partner agencies open the share link they received from the city.",
    ),
    "user.role.admin": ("관리자", "Admin"),
    "user.role.staff": ("직원", "Staff"),
    "user.role.none": ("권한 없음", "No role"),
    "user.sign_out": ("로그아웃", "Sign out"),
    "denied.contact": ("문의: {contact}", "Contact: {contact}"),
    "denied.ask_sender": (
        "이 링크를 보내 준 담당자에게 새 링크를 요청하세요.",
        "Ask the person who sent you this link for a new one.",
    ),
    "denied.ask_sender_pages": (
        "다른 페이지가 필요하면 이 링크를 보내 준 담당자에게 문의하세요.",
        "If you need other pages, ask the person who sent you this link.",
    ),
    "denied.ask_admin": (
        "시 복지부서의 잇다 관리자에게 권한을 요청하세요.",
        "Ask Itda's administrator at the city's welfare department for access.",
    ),
    "denied.leave": ("이 링크를 닫고 직원으로 로그인", "Close this link and sign in as staff"),
    "denied.tampered.title": ("올바르지 않은 링크입니다", "This link is not valid"),
    "denied.tampered.body": (
        "링크 주소가 바뀌었거나 잘렸습니다. 받은 링크 전체를 그대로 여세요.",
        "The link's address was changed or cut short. Open the whole link as you received it.",
    ),
    "denied.unknown.title": ("찾을 수 없는 링크입니다", "This link does not exist"),
    "denied.unknown.body": (
        "이 링크는 잇다에 등록되어 있지 않거나 범위의 기관·읍면동이 더 이상 없습니다.",
        "This link is not registered in Itda, or its agency or neighbourhoods no longer exist.",
    ),
    "denied.expired.title": ("유효 기간이 지난 링크입니다", "This link has expired"),
    "denied.expired.body": (
        "공유 링크는 정해진 기간에만 열 수 있습니다.",
        "A share link opens only until its expiry date.",
    ),
    "denied.revoked.title": ("폐기된 링크입니다", "This link has been revoked"),
    "denied.revoked.body": (
        "링크를 만든 담당자가 이 링크를 더 이상 쓰지 못하게 했습니다.",
        "The city has withdrawn this link.",
    ),
    "denied.out_of_scope.title": (
        "이 링크로는 열 수 없는 페이지입니다",
        "This link does not open this page",
    ),
    "denied.out_of_scope.body": (
        "공유 링크는 공유된 기관이나 읍면동의 페이지만 엽니다. 위의 메뉴에서 공유된 페이지를 여세요.",
        "A share link opens only the pages of its agency or neighbourhoods. Use the menu above.",
    ),
    "denied.admin_only.title": (
        "관리자만 열 수 있는 페이지입니다",
        "Only admins can open this page",
    ),
    "denied.admin_only.body": (
        "데이터 가져오기와 감사 기록은 관리자 권한이 있어야 열 수 있습니다.",
        "The data import and the audit log need admin rights.",
    ),
    "denied.no_role.title": ("잇다를 쓸 권한이 없습니다", "You have no access to Itda"),
    "denied.no_role.body": (
        "{email} 계정으로 로그인했지만 이 계정에는 잇다 권한이 없습니다.",
        "You signed in as {email}, but this account has no role in Itda.",
    ),
    "denied.sign_in.title": ("로그인", "Sign in"),
    "denied.sign_in.body": ("로그인하세요.", "Please sign in."),
    "partner.watermark": (
        "{holder} 열람용 · {label} · {time}",
        "For {holder} only · {label} · {time}",
    ),
    "partner.holder": ("협업기관", "partner"),
    "partner.link_id": ("링크 {id}", "link {id}"),
    # ---- share links page ------------------------------------------------------------
    "links.title": ("공유 링크", "Share links"),
    "links.intro": (
        "협업기관이나 읍면동(행복키움추진단 등)에 그 범위의 페이지만 보여 주는 링크를 만듭니다. "
        "링크로 보는 화면에서는 5 미만의 작은 수를 가리고, 열람 기록이 남습니다.",
        "Make a link that shows a partner agency or a neighbourhood (its 행복키움추진단, for "
        "instance) only its own pages. Small numbers are hidden there and every view is logged.",
    ),
    "links.new": ("새 공유 링크", "New share link"),
    "links.kind": ("범위", "Scope"),
    "links.kind.agency": ("기관 하나", "One agency"),
    "links.kind.neighbourhood": ("읍면동", "Neighbourhoods"),
    "links.agency": ("기관", "Agency"),
    "links.neighbourhoods": ("읍면동(여러 곳 가능)", "Neighbourhoods (one or more)"),
    "links.choose": ("선택하세요", "Choose"),
    "links.label": ("이름(받는 곳, 용도)", "Label (who it is for, what for)"),
    "links.days": ("유효 기간(일)", "Valid for (days)"),
    "links.with_definitions": ("지표 정의 페이지도 열기", "Also open the metric definitions"),
    "links.create": ("링크 만들기", "Create link"),
    "links.created": ("링크 {id}를 만들었습니다.", "Link {id} created."),
    "links.created.note": (
        "이 주소는 지금만 보입니다. 복사해서 받는 곳에 보내세요. 주소를 가진 누구나 열 수 있으니 "
        "필요 없어지면 폐기하세요.",
        "This address is shown only now: copy it and send it. Anyone holding it can open it, "
        "so revoke it when it is no longer needed.",
    ),
    "links.list": ("모든 링크", "All links"),
    "links.list.mine": ("내가 만든 링크", "Links I made"),
    "links.empty": ("아직 만든 링크가 없습니다.", "No links yet."),
    "links.col.id": ("ID", "ID"),
    "links.col.label": ("이름", "Label"),
    "links.col.scope": ("범위", "Scope"),
    "links.col.creator": ("만든 사람", "Created by"),
    "links.col.created": ("만든 때(KST)", "Created (KST)"),
    "links.col.expires": ("만료(KST)", "Expires (KST)"),
    "links.col.status": ("상태", "Status"),
    "links.col.uses": ("사용", "Uses"),
    "links.col.last_used": ("마지막 사용(KST)", "Last used (KST)"),
    "links.status.active": ("사용 중", "Active"),
    "links.status.expired": ("만료", "Expired"),
    "links.status.revoked": ("폐기", "Revoked"),
    "links.revoke.title": ("링크 폐기", "Revoke a link"),
    "links.revoke.none": ("폐기할 수 있는 링크가 없습니다.", "No active link to revoke."),
    "links.revoke.which": ("폐기할 링크", "Link to revoke"),
    "links.revoke.confirm": (
        "이 링크를 더 이상 열 수 없게 합니다(되돌릴 수 없음)",
        "Stop this link from opening (cannot be undone)",
    ),
    "links.revoke.button": ("폐기", "Revoke"),
    "links.revoke.unconfirmed": ("폐기하려면 확인란을 선택하세요.", "Tick the box to confirm."),
    "links.revoked": ("링크 {id}를 폐기했습니다.", "Link {id} revoked."),
    # ---- audit page --------------------------------------------------------------------
    "audit.title": ("감사 기록", "Audit log"),
    "audit.intro": (
        "로그인·로그아웃, 링크 생성·사용·폐기, 링크로 본 페이지, 가져오기·내보내기 기록입니다. "
        "시각은 한국 시간(KST)입니다. 가구의 정보는 담지 않습니다.",
        "Sign-ins and sign-outs, links made, used and revoked, pages opened through links, "
        "imports and exports. Times are Korean time (KST). No household's data is kept here.",
    ),
    "audit.dates": ("날짜", "Dates"),
    "audit.actor": ("사용자·링크", "User or link"),
    "audit.all": ("모두", "All"),
    "audit.link": ("링크 ID", "Link ID"),
    "audit.empty": ("조건에 맞는 기록이 없습니다.", "No events match."),
    "audit.count": ("{n}건 (화면에 {shown}건)", "{n} events ({shown} shown)"),
    "audit.col.at": ("시각(KST)", "Time (KST)"),
    "audit.col.actor": ("누가", "Who"),
    "audit.col.role": ("권한", "Role"),
    "audit.col.action": ("무엇을", "What"),
    "audit.col.link_id": ("링크", "Link"),
    "audit.col.page": ("페이지", "Page"),
    "audit.col.scope": ("범위", "Scope"),
    "audit.col.outcome": ("결과", "Outcome"),
    "audit.col.detail": ("내용", "Detail"),
    "audit.action.sign_in": ("로그인", "Sign-in"),
    "audit.action.sign_out": ("로그아웃", "Sign-out"),
    "audit.action.link_created": ("링크 생성", "Link created"),
    "audit.action.link_redeemed": ("링크 사용", "Link used"),
    "audit.action.link_revoked": ("링크 폐기", "Link revoked"),
    "audit.action.page_view": ("페이지 열람", "Page view"),
    "audit.action.access_denied": ("접근 거부", "Access refused"),
    "audit.action.import": ("가져오기", "Import"),
    "audit.action.export": ("내보내기", "Export"),
    "audit.role.admin": ("관리자", "Admin"),
    "audit.role.staff": ("직원", "Staff"),
    "audit.role.partner": ("협업기관 링크", "Partner link"),
    "audit.role.none": ("권한 없음", "No role"),
    "audit.role.anonymous": ("로그인 전", "Not signed in"),
    "audit.role.cli": ("운영자(CLI)", "Operator (CLI)"),
    "audit.actor.open": ("공개 모드 방문자", "Open-mode visitor"),
    "audit.actor.anonymous": ("로그인하지 않은 방문자", "Visitor not signed in"),
    "audit.actor.cli": ("명령줄({login})", "command line ({login})"),
    "audit.page.start": ("첫 화면", "Start page"),
    "audit.scope.city": ("시 전체", "Whole city"),
    "audit.scope.agency": ("기관: {names}", "Agency: {names}"),
    "audit.scope.nb": ("읍면동: {names}", "Neighbourhoods: {names}"),
    "audit.detail.import": (
        "{file} · {mode} · {rows}행 · 문제 {problems}건",
        "{file} · {mode} · {rows} rows · {problems} problems",
    ),
    "audit.detail.link": ("만료 {expires} · 페이지: {pages}", "Expires {expires} · pages: {pages}"),
    "audit.detail.page.home": ("링크의 페이지", "the link's page"),
    "audit.detail.page.definitions": ("지표 정의", "metric definitions"),
    "audit.detail.rows": ("{rows}행", "{rows} rows"),
    "audit.detail.issued": ("로그인 {time}", "Signed in {time}"),
    "audit.outcome.ok": ("허용", "Allowed"),
    "audit.outcome.rejected": ("문제 있어 저장 안 함", "Rejected (problems)"),
    "audit.outcome.failed": ("실패", "Failed"),
    "audit.outcome.no_role": ("권한 없음", "No role"),
    "audit.outcome.admin_only": ("관리자 전용", "Admins only"),
    "audit.outcome.sign_in": ("로그인 필요", "Sign-in needed"),
    "audit.outcome.tampered": ("변조된 링크", "Tampered link"),
    "audit.outcome.unknown": ("없는 링크", "Unknown link"),
    "audit.outcome.expired": ("만료된 링크", "Expired link"),
    "audit.outcome.revoked": ("폐기된 링크", "Revoked link"),
    "audit.outcome.out_of_scope": ("링크 범위 밖", "Outside the link"),
    # ---- shared filters -------------------------------------------------------------
    "filter.heading": ("보기 설정", "View"),
    "filter.lang": ("언어 · Language", "언어 · Language"),
    "filter.period": ("기간", "Period"),
    "period.year": ("{year}년", "{year}"),
    "period.half.1": ("{year}년 상반기", "H1 {year}"),
    "period.half.2": ("{year}년 하반기", "H2 {year}"),
    "period.quarter": ("{year}년 {quarter}분기", "Q{quarter} {year}"),
    "period.month": ("{year}년 {month}", "{month} {year}"),
    "month.1": ("1월", "Jan"),
    "month.2": ("2월", "Feb"),
    "month.3": ("3월", "Mar"),
    "month.4": ("4월", "Apr"),
    "month.5": ("5월", "May"),
    "month.6": ("6월", "Jun"),
    "month.7": ("7월", "Jul"),
    "month.8": ("8월", "Aug"),
    "month.9": ("9월", "Sep"),
    "month.10": ("10월", "Oct"),
    "month.11": ("11월", "Nov"),
    "month.12": ("12월", "Dec"),
    "period.in_progress": ("{label} (진행 중)", "{label} (in progress)"),
    "filter.period.placeholder": ("올해 1월 1일부터 기준일까지", "This year to the as-of date"),
    "filter.period.help": (
        "연도(2024), 반기(2024-H1), 분기(2024-Q3), 월(2024-05) 중에서 고릅니다. "
        "시작일과 종료일을 모두 정하면 그 기간이 우선합니다.",
        "A year (2024), half (2024-H1), quarter (2024-Q3) or month (2024-05). "
        "A start and end date, when both are set, take precedence.",
    ),
    "filter.from": ("시작일", "From"),
    "filter.to": ("종료일", "To"),
    "filter.custom": ("직접 기간 지정", "Custom dates"),
    "filter.shown": ("{period} · 비교 {previous}", "{period} · vs {previous}"),
    "filter.compare": ("비교 기준", "Compare with"),
    "filter.compare.help": (
        "변화를 직전 기간(전기)과 비교할지, 1년 전 같은 기간(전년 동기)과 비교할지 고릅니다. "
        "기본 기간(올해 누계)은 전년 동기, 다른 기간은 전기와 비교합니다.",
        "Compare changes with the period just before (previous period) or with the same "
        "period a year earlier. The default period (year to date) is compared with a year "
        "earlier, any other with the previous period.",
    ),
    "compare.prev": ("전기 대비", "Previous period"),
    "compare.yoy": ("전년 동기 대비", "Same period last year"),
    "compare.name.prev": ("전기", "previous period"),
    "compare.name.yoy": ("전년 동기", "same period last year"),
    # {value}: a short excerpt of what the visitor typed, as a code span (lib.excerpt).
    "filter.bad_period": (
        "기간 {value}을(를) 이해할 수 없어 기본 기간을 보여 줍니다. "
        "2024, 2024-H1, 2024-Q3, 2024-05 형식으로 쓰세요.",
        "Could not read the period {value}; showing the default period. "
        "Write it as 2024, 2024-H1, 2024-Q3 or 2024-05.",
    ),
    "filter.bad_date": (
        "날짜 {value}을(를) 이해할 수 없어 쓰지 않습니다. 1900-01-01부터 2100-12-31 사이의 "
        "날짜를 2024-05-31 형식으로 쓰세요.",
        "Could not read the date {value}; it is not used. Write a date between 1900-01-01 "
        "and 2100-12-31 as 2024-05-31.",
    ),
    "filter.bad_compare": (
        "비교 방식 {value}을(를) 알 수 없어 기본 비교를 보여 줍니다 (prev: 전기 대비, "
        "yoy: 전년 동기 대비).",
        "Unknown comparison {value}; showing the default comparison (prev: previous "
        "period, yoy: same period last year).",
    ),
    "filter.bad_lang": (
        "언어 {value}을(를) 지원하지 않아 기본 언어로 보여 줍니다 (ko: 한국어, en: English).",
        "The language {value} is not supported; showing the default language (ko: Korean, "
        "en: English).",
    ),
    "filter.repeated": (
        "주소에 {name} 값이 서로 다르게 여러 번 있어 기본값을 보여 줍니다.",
        "The address gives {name} more than once with different values; showing the default.",
    ),
    "filter.bad_range": (
        "시작일({start})이 종료일({end})보다 늦어 기본 기간을 보여 줍니다.",
        "The start date ({start}) is after the end date ({end}); showing the default period.",
    ),
    "link.copy": ("링크 복사", "Copy link"),
    "link.help": (
        "이 화면(기간·언어 포함)의 주소입니다. 오른쪽 위 아이콘으로 복사해 공유하세요.",
        "The address of this view, period and language included. Copy it with the icon.",
    ),
    # ---- page header ----------------------------------------------------------------
    "header.period": ("기간", "Period"),
    "header.previous": ("비교 기간", "Compared with"),
    "header.as_of": ("기준일", "As of"),
    "header.demo": (
        "데모 데이터 — 실제 주민 정보가 아닌, 시연용으로 만든 가상의 도시입니다.",
        "Demo data — a made-up city for demonstration, not real households.",
    ),
    "header.demo_badge": ("데모 데이터", "Demo data"),
    # ---- section links under the page header (lib.ui.section_links) -------------------
    "toc.label": ("이 페이지의 구성", "On this page"),
    "toc.headline": ("주요 지표", "Headline metrics"),
    "toc.table": ("읍면동 비교", "Neighbourhoods compared"),
    "toc.ranking": ("순위", "Ranking"),
    "toc.map": ("지도", "Map"),
    "toc.trends": ("월별 추이", "Monthly trends"),
    "toc.agencies": ("기관별 현황", "Agencies"),
    "toc.flows": ("의뢰 흐름", "Referral flows"),
    "toc.graph": ("네트워크 그래프", "Network graph"),
    "toc.statuses": ("월별 상태", "Statuses by month"),
    "toc.overdue": ("기한 초과 대기", "Overdue"),
    "toc.by_neighbourhood": ("읍면동별 목표 대비", "By neighbourhood"),
    "toc.by_month": ("월별 모금·지원", "By month"),
    "toc.directions": ("받은·보낸 의뢰", "Received and sent"),
    "toc.response_trend": ("응답 소요일", "Days to respond"),
    "toc.pending": ("응답 대기", "Awaiting response"),
    "toc.partners": ("협업 기관", "Partners"),
    "city.default_name": ("우리시", "Our city"),
    # ---- empty and error states ------------------------------------------------------
    "empty.database": (
        "아직 데이터가 없습니다. 관리 > 데이터 가져오기에서 엑셀 파일을 올리거나, "
        "명령줄에서 `python -m lib.cli demo`로 데모 도시를 만드세요.",
        "There is no data yet. Upload a workbook under Admin > Data import, or build the "
        "demo city with `python -m lib.cli demo`.",
    ),
    "empty.period": (
        "{period}에는 기록된 활동이 없습니다. 다른 기간을 고르세요.",
        "Nothing was recorded in {period}. Choose another period.",
    ),
    "empty.chart": ("이 기간에는 표시할 자료가 없습니다.", "No data for this period."),
    "empty.pending": ("응답을 기다리는 의뢰가 없습니다.", "No referral is awaiting an answer."),
    "error.page": (
        "이 화면을 그리는 중 문제가 생겼습니다. 잠시 후 다시 시도하거나 관리자에게 알려 주세요.",
        "Something went wrong while drawing this view. Try again shortly or tell the "
        "administrator.",
    ),
    "error.section": (
        "이 부분을 표시하지 못했습니다: {message}",
        "This part could not be shown: {message}",
    ),
    # ---- database trouble (lib.db_errors: one sentence per kind; the page adds a retry) ----
    "db.unreachable": (
        "데이터베이스에 연결할 수 없습니다. 잠시 후 다시 시도하세요. 계속되면 관리자에게 알려 주세요.",
        "Cannot reach the database. Try again in a moment; if it goes on, tell the administrator.",
    ),
    "db.dropped": (
        "데이터베이스 연결이 끊겼습니다. 다시 시도하세요.",
        "The connection to the database was lost. Try again.",
    ),
    "db.timeout": (
        "데이터베이스의 응답이 너무 늦어 {seconds}초 만에 멈췄습니다. 잠시 후 다시 시도하거나 "
        "더 짧은 기간을 고르세요.",
        "The database took too long to answer and was stopped after {seconds} s. Try again "
        "shortly or choose a shorter period.",
    ),
    "db.busy": (
        "데이터베이스가 지금 너무 바쁩니다. 잠시 후 다시 시도하세요.",
        "The database is too busy right now. Try again in a moment.",
    ),
    "db.read_only": (
        "데이터베이스가 읽기 전용이라 아무것도 저장하지 못했습니다(읽기 전용 복제본일 수 있습니다). "
        "관리자에게 알려 주세요.",
        "The database is read-only, so nothing could be saved (it may be a read-only "
        "replica). Tell the administrator.",
    ),
    "db.disk_full": (
        "데이터베이스 서버의 저장 공간이 가득 차서 아무것도 저장하지 못했습니다. "
        "관리자에게 알려 주세요.",
        "The database server is out of disk space, so nothing could be saved. Tell the "
        "administrator.",
    ),
    "db.other": (
        "데이터베이스 오류로 표시하지 못했습니다. 잠시 후 다시 시도하거나 관리자에게 알려 주세요.",
        "A database error kept this from being shown. Try again shortly or tell the administrator.",
    ),
    "db.retry": ("다시 시도", "Try again"),
    # What an operator running the CLI should check, after the sentence above.
    "db.cli.unreachable": (
        "DATABASE_URL 설정과 데이터베이스 서버를 확인하세요.",
        "Check the DATABASE_URL setting and the database server.",
    ),
    "db.cli.dropped": (
        "데이터베이스 서버가 다시 시작되었거나 연결을 끊었습니다.",
        "The database server restarted or ended the connection.",
    ),
    "db.cli.timeout": (
        "ITDA_STATEMENT_TIMEOUT_SECONDS 설정을 확인하세요.",
        "Check the ITDA_STATEMENT_TIMEOUT_SECONDS setting.",
    ),
    "db.cli.busy": (
        "다른 작업(가져오기 등)이 끝난 뒤 다시 실행하세요.",
        "Run it again when other work (an import, say) has finished.",
    ),
    "db.cli.read_only": (
        "DATABASE_URL이 쓰기 가능한 주 데이터베이스를 가리키는지 확인하세요.",
        "Check that DATABASE_URL names the writable primary database.",
    ),
    "db.cli.disk_full": (
        "데이터베이스 서버의 디스크 공간을 확보하세요.",
        "Free disk space on the database server.",
    ),
    "db.cli.other": (
        "자세한 내용은 데이터베이스 서버의 로그에 있습니다.",
        "See the database server's log.",
    ),
    "error.unknown_neighbourhood": (
        "읍면동 코드 {code}을(를) 찾을 수 없습니다.",
        "No neighbourhood has the code {code}.",
    ),
    # ---- metric tiles ---------------------------------------------------------------
    "metric.vs_prev": ("전기 대비", "vs previous period"),
    "metric.vs_yoy": ("전년 동기 대비", "vs same period last year"),
    "metric.city_rank": ("시 전체 {city} · {rank}", "City {city} · {rank}"),
    "metric.city_only": ("시 전체 {city}", "City {city}"),
    # metrics.md: rank 1 is the highest value, for every metric, and the page says so.
    "metric.rank": ("{n}개 읍면동 중 {rank}위(높은 순)", "rank {rank} of {n}, highest first"),
    "metric.rank_per_1000": (
        "{n}개 읍면동 중 {rank}위(1천 세대당, 높은 순)",
        "rank {rank} of {n} per 1,000 households, highest first",
    ),
    # ---- small numbers in partner views (lib.suppression) ----------------------------
    "suppressed.small": (
        "{threshold} 미만: 적은 수는 정확히 보여 주지 않습니다",
        "Fewer than {threshold}: small numbers are not shown exactly",
    ),
    "suppressed.withheld": (
        "수가 너무 적어 보여 주지 않습니다",
        "Too small to show",
    ),
    "suppressed.complementary": (
        "다른 적은 수를 계산해 낼 수 없도록 가렸습니다",
        "Hidden so that a small number cannot be worked out from it",
    ),
    "suppressed.table_note": (
        "<{threshold}: {threshold} 미만 · –: 값이 없거나, 적은 수를 보호하려고 가린 값",
        "<{threshold}: fewer than {threshold} · –: no value, or hidden to protect small numbers",
    ),
    # ---- overview -------------------------------------------------------------------
    "overview.title": ("{city} 복지 네트워크 개요", "{city}: welfare network overview"),
    "overview.headline": ("주요 지표", "Headline metrics"),
    "overview.table": ("읍면동 비교", "Neighbourhoods compared"),
    "overview.table.caption": (
        "맨 윗줄(회색)은 시 전체의 값입니다(비율은 시 전체로 다시 계산한 값이며 읍면동 값의 "
        "합이나 평균이 아닙니다). 열 제목을 눌러 정렬합니다. 읍면동 이름을 누르면 그 읍면동 "
        "페이지가 열립니다.",
        "The first row (grey) is the whole city (its rates are worked out for the city, not "
        "summed or averaged over the rows). Click a column title to sort. Click a name to "
        "open that neighbourhood's page.",
    ),
    "overview.table.mode": ("표시 방식", "Show"),
    "overview.table.mode.values": ("건수·금액", "Counts and amounts"),
    "overview.table.mode.per_1000": ("1천 세대당", "Per 1,000 households"),
    "overview.table.group": ("지표 묶음", "Metrics"),
    "overview.table.per_1000_note": (
        "건수와 금액은 모두 1천 세대당 값입니다(읍면동 값 ÷ 세대수 × 1,000, 금액은 만원). "
        "비율(%)과 일수는 세대수와 상관없어 그대로 둡니다.",
        "Counts and amounts are all per 1,000 households (the value ÷ households × 1,000; "
        "money in ₩ thousands). Rates (%) and days do not depend on size and stay as they are.",
    ),
    "overview.table.group.headline": ("주요 지표", "Headline"),
    "overview.table.group.caseload": ("사례관리", "Caseload"),
    "overview.table.group.services": ("서비스", "Services"),
    "overview.table.group.donations": ("후원", "Donations"),
    "overview.table.group.sharing": ("사례공유", "Case-sharing"),
    "overview.table.group.community": ("방문·자활", "Outreach · self-sufficiency"),
    "overview.ranking": ("읍면동 순위 (높은 순)", "Neighbourhood ranking (highest first)"),
    "chart.ranking_order": ("읍면동 (높은 순)", "Neighbourhood (highest first)"),
    "overview.ranking.metric": ("순위 지표", "Rank by"),
    "overview.ranking.city": ("시 전체 {value}", "City {value}"),
    "overview.trends": ("월별 추이", "Monthly trends"),
    "overview.trend.caseload": ("사례관리", "Caseload"),
    "overview.trend.donations": ("후원 모금·지원", "Donations raised and given"),
    "overview.trend.referrals": ("사례공유 의뢰", "Referrals"),
    "column.neighbourhood": ("읍면동", "Neighbourhood"),
    "column.kind": ("구분", "Kind"),
    "column.households": ("세대수", "Households"),
    "column.per_1000": ("{label} (1천 세대당)", "{label} (per 1,000 households)"),
    # ---- neighbourhood page ---------------------------------------------------------
    "nb.kind_households": ("{kind} · {households}세대", "{kind} · {households} households"),
    "nb.charts": ("그래프", "Charts"),
    "nb.trend": ("월별 추이", "Monthly trend"),
    "nb.channels": ("발굴 경로", "How households were identified"),
    "nb.profile": ("진행 중 사례: 가구 유형과 위기도", "Active cases: household type and risk"),
    "nb.stages": ("사례관리 단계", "Cases by stage"),
    "nb.donor_types": ("월별 후원(후원자 유형별)", "Donations by month and donor type"),
    "nb.raised_given": ("모금액과 지원액", "Raised and given"),
    "nb.statuses": ("의뢰 상태(기간 말 기준)", "Referral status at the period's end"),
    "nb.response_times": ("응답 소요일 분포", "Days to respond"),
    "nb.pending": ("응답 대기 중인 의뢰", "Referrals awaiting an answer"),
    "nb.pending.caption": (
        "기간 말일 기준, 오래 기다린 순서입니다. 응답 기한 {limit}일을 넘긴 의뢰는 ⚠ 표시됩니다.",
        "At the period's end, longest wait first. Referrals past the {limit}-day response "
        "limit are marked ⚠.",
    ),
    "pending.case": ("사례번호", "Case"),
    "pending.route": ("의뢰기관 → 수신기관", "From → to"),
    "pending.requested": ("의뢰일", "Requested"),
    "pending.days": ("대기일", "Days waiting"),
    "pending.overdue": ("기한 초과", "Overdue"),
    "pending.overdue_mark": ("⚠ 기한 초과", "⚠ overdue"),
    # ---- donations page -------------------------------------------------------------
    "donations.title": ("{city} 후원 모금과 지원", "{city}: donations raised and given"),
    "donations.by_neighbourhood": (
        "읍면동별 모금·지원과 목표",
        "By neighbourhood, against targets",
    ),
    "donations.by_month": ("읍면동별 월별 모금·지원", "By neighbourhood and month"),
    "donations.measure": ("금액", "Amount"),
    "donations.city_fund": ("시 공동 모금", "City-wide fund"),
    "donations.target_mark": (
        "검은 세로 막대는 그 읍면동의 올해 모금 목표입니다.",
        "The black tick is the neighbourhood's donation target for the year.",
    ),
    "donations.no_target": (
        "이 기간에는 목표가 없습니다(목표는 한 해 안의 기간에만 적용됩니다).",
        "No target applies to this period (targets apply to periods within one year).",
    ),
    "column.raised": ("모금액", "Raised"),
    "column.given": ("지원액", "Given"),
    "column.target": ("목표액", "Target"),
    "column.target_rate": ("달성률", "Reached"),
    # ---- definitions page -----------------------------------------------------------
    "definitions.title": ("지표 정의", "Metric definitions"),
    "definitions.intro": (
        "모든 숫자는 아래의 한 가지 정의로 계산됩니다. 기간 P는 시작일과 종료일을 모두 "
        "포함하며, 분모가 없는 지표는 0이 아니라 '–'로 표시합니다.",
        "Every number is computed with exactly one definition below. A period P includes "
        "its first and last day; a metric whose denominator is empty shows '–', never 0.",
    ),
    "definitions.key": ("키", "Key"),
    "definitions.label": ("지표", "Metric"),
    "definitions.definition": ("정의", "Definition"),
    "definitions.unit": ("단위", "Unit"),
    "unit.count": ("건·명", "count"),
    "unit.krw": ("원", "won"),
    "unit.rate": ("%", "%"),
    "unit.days": ("일", "days"),
    "unit.per_1000": ("1천 세대당", "per 1,000 households"),
    # Units in table headers and axis titles: "모금액(만원)". Counts name their noun
    # (발굴 가구, 의뢰 건수), so they carry none in a header; axes use unit.axis.count.
    "unit.header.krw": ("만원", "₩K"),
    "unit.header.rate": ("%", "%"),
    "unit.header.days": ("일", "days"),
    "unit.header.per_1000": ("천 세대당", "per 1k households"),
    "unit.header.with": ("{label}({unit})", "{label} ({unit})"),
    "unit.header.inside": ("{label}({inner}, {unit})", "{label} ({inner}, {unit})"),
    "chart.axis.cases": ("사례(건)", "Cases"),
    "chart.axis.referrals": ("의뢰(건)", "Referrals"),
    "chart.no_data_month": ("자료 없음", "no data"),
    "chart.stages.title": (
        "기간 중 다룬 사례 {total}건의 기간 말 단계",
        "The {total} cases handled in the period, by stage at its end",
    ),
    "chart.stages.title_plain": (
        "기간 중 다룬 사례의 기간 말 단계",
        "Cases handled in the period, by stage at its end",
    ),
    "chart.stages.subtitle": (
        "사례관리 시작 {opened}건 + 계획 수립·서비스 {planned}건 = 진행 중 사례 {active}건",
        "Case opened {opened} + plan made {planned} = active cases {active}",
    ),
    "chart.stages.subtitle_plain": (
        "사례관리 시작과 계획 수립·서비스 단계를 합하면 진행 중 사례입니다",
        "Case opened and plan made together are the active cases",
    ),
    "city_total": ("시 전체", "Whole city"),
    # ---- chart words ----------------------------------------------------------------
    "chart.month": ("월", "Month"),
    "chart.cases": ("사례 수", "Cases"),
    "chart.households": ("가구", "Households"),
    "chart.amount": ("금액", "Amount"),
    "chart.referrals": ("의뢰 수", "Referrals"),
    "chart.series": ("구분", "Series"),
    "chart.channel": ("발굴 경로", "Channel"),
    "chart.household_type": ("가구 유형", "Household type"),
    "chart.risk_level": ("위기도", "Risk level"),
    "chart.stage": ("단계", "Stage"),
    "chart.donor_type": ("후원자 유형", "Donor type"),
    "chart.status": ("상태", "Status"),
    "chart.days": ("응답 소요일", "Days to respond"),
    "chart.within_limit": ("기한 내", "Within limit"),
    "chart.over_limit": ("기한 초과", "Over limit"),
    "chart.neighbourhood": ("읍면동", "Neighbourhood"),
    "chart.district": ("시·군·구", "District"),
    "chart.province": ("시·도", "Province"),
    "chart.value": ("값", "Value"),
    "chart.city": ("시 전체", "City"),
    "chart.target": ("목표", "Target"),
    "stage.identified": ("발굴", "Identified"),
    "stage.opened": ("사례관리 시작", "Case opened"),
    "stage.planned": ("계획 수립·서비스", "Plan made"),
    "stage.closed": ("종결", "Closed"),
    "bucket.0": ("당일", "Same day"),
    "bucket.1-3": ("1–3일", "1–3 days"),
    "bucket.4-7": ("4–7일", "4–7 days"),
    "bucket.8-14": ("8–14일", "8–14 days"),
    "bucket.15-30": ("15–30일", "15–30 days"),
    "bucket.31+": ("31일 이상", "31+ days"),
    "series.discovered": ("발굴", "Identified"),
    "series.opened": ("신규 사례관리", "New cases"),
    "series.closed": ("종결", "Closed"),
    "series.services": ("서비스 제공", "Services"),
    "series.donations_krw": ("모금액", "Raised"),
    "series.disbursed_krw": ("지원액", "Given"),
    "series.referrals_sent": ("의뢰", "Referrals"),
    # ---- Case-sharing network and agency pages (views/network.py, views/agency.py) ----
    "network.title": ("사례공유 네트워크", "Case-sharing network"),
    "network.limit": (
        "응답 기한 {days}일(설정값): 그보다 오래 응답을 기다린 의뢰는 '기한 초과'입니다.",
        "Response limit {days} days (a setting): a referral waiting longer for an answer "
        "is overdue.",
    ),
    "network.neighbourhoods": ("읍면동 (사례 소재지)", "Neighbourhoods (of the cases)"),
    "network.all_neighbourhoods": ("전체 읍면동", "All neighbourhoods"),
    "network.referrals_in_period": ("기간 중 의뢰", "Referrals in the period"),
    "network.agencies": ("협업기관별 현황", "Agencies"),
    "network.sector": ("부문", "Sector"),
    "network.kind": ("기관유형", "Kind"),
    "network.all": ("전체", "All"),
    "network.agency_name": ("기관명", "Agency"),
    "network.table_note": (
        "{total}개 기관 중 {n}개 · 열 제목을 누르면 정렬됩니다. 수락률·응답 소요일·대기·완료율은 받은 의뢰 기준입니다.",
        "{n} of {total} agencies · click a column header to sort. Acceptance, response time, waiting and completion are about the referrals each agency received.",
    ),
    "network.flows": ("기관 간 의뢰 흐름", "Referral flows between agencies"),
    "network.from": ("의뢰기관", "From"),
    "network.to": ("수신기관", "To"),
    "network.referrals": ("의뢰 건수", "Referrals"),
    "network.accepted": ("수락", "Accepted"),
    "network.no_referrals": ("이 기간에 의뢰가 없습니다.", "No referrals in this period."),
    "network.graph": ("네트워크 그래프", "Network graph"),
    "network.region.pick": ("시·군·구 선택", "Choose a city or county"),
    "network.region.pick.help": (
        "네트워크 그림과 표는 한 시·군·구의 기관만 보여 줍니다. 이름이나 코드로 찾으세요.",
        "The graph and the tables show the agencies of one city or county. Search by name or code.",
    ),
    "network.region.summary": ("지역별 의뢰 흐름", "Referral flows by region"),
    "network.region.summary_note": (
        "기관이 속한 지역별 집계입니다(기관의 읍면동, 없으면 그 기관이 가장 많이 의뢰받은 사례의 시·군·구). "
        "지역을 누르면 그 아래 지역이나 시·군·구의 네트워크를 봅니다.",
        "Counted by the agencies' region (their neighbourhood's; without one, that of the cases "
        "referred to them most). Open a region for the regions below it or a district's network.",
    ),
    "network.region.name": ("지역", "Region"),
    "network.region.sent": ("보낸 의뢰", "Sent"),
    "network.region.received": ("받은 의뢰", "Received"),
    "network.region.district_note": (
        "{region}의 기관 {n}곳만 그립니다. 다른 지역 기관과 주고받은 의뢰는 표와 숫자에만 들어갑니다.",
        "Only the {n} agencies of {region} are drawn; referrals with agencies elsewhere count in the tables and numbers only.",
    ),
    "network.region.up": ("위 지역으로", "Up to"),
    "network.graph_note": (
        "점의 크기는 보낸·받은 의뢰 수, 선의 굵기는 두 기관 사이 의뢰 수입니다. 배치는 서버에서 계산합니다.",
        "Point size: referrals sent and received; line width: referrals between two agencies. The layout is computed on the server.",
    ),
    "network.volume": ("의뢰+수신", "Sent + received"),
    "network.statuses": ("월별 의뢰와 상태", "Referrals by month and status"),
    "network.statuses_note": (
        "의뢰일 기준 월별 건수, 상태는 기간 말일 기준입니다.",
        "Referrals by month requested; statuses as at the end of the period.",
    ),
    "network.month": ("월", "Month"),
    "network.status": ("상태", "Status"),
    "network.overdue": ("기한 초과 대기 {n}건", "Overdue: {n}"),
    "network.overdue_note": (
        "기간 말일까지 응답·회수되지 않았고 {days}일을 넘게 기다린 의뢰, 오래 기다린 순",
        "Referrals unanswered and not withdrawn at the end of the period, waiting more than {days} days, longest first",
    ),
    "network.no_overdue": ("기한을 넘긴 대기 의뢰가 없습니다.", "No referral is overdue."),
    "network.referral_id": ("의뢰번호", "Referral"),
    "network.case_id": ("사례번호", "Case"),
    "network.requested_on": ("의뢰일", "Requested"),
    "network.days_waiting": ("대기일수", "Days waiting"),
    "agency.subtitle": (
        "{sector} · {kind} · 응답 기한 {days}일",
        "{sector} · {kind} · response limit {days} days",
    ),
    "agency.series": ("구분", "Series"),
    "agency.received_sent": (
        "받은 의뢰와 보낸 의뢰 (기간 말일 기준 상태)",
        "Received and sent (status at the end of the period)",
    ),
    "agency.direction": ("구분", "Direction"),
    "agency.received": ("받은 의뢰", "Received"),
    "agency.sent": ("보낸 의뢰", "Sent"),
    "agency.total": ("합계", "Total"),
    "agency.response_trend": ("응답 소요일 추이", "Days to respond, by month"),
    "agency.network_median": ("전체 네트워크", "Whole network"),
    "agency.district_median": ("{district} 네트워크", "{district} network"),
    "agency.district_note": (
        "월별 중앙값: 그 달에 받은 의뢰 중 기간 말일까지 응답한 의뢰의 (응답일 − 의뢰일). "
        "점선은 이 기관이 속한 {district}의 네트워크입니다.",
        "Monthly median of responded − requested over the referrals received in the month "
        "and answered by the end of the period. Dashed: the network of {district}, this "
        "agency's district.",
    ),
    "agency.district_link": (
        "{district} 사례공유 네트워크 보기",
        "The case-sharing network of {district}",
    ),
    "agency.trend_note": (
        "월별 중앙값: 그 달에 받은 의뢰 중 기간 말일까지 응답한 의뢰의 (응답일 − 의뢰일). "
        "점선은 전체 네트워크입니다.",
        "Monthly median of responded − requested over the referrals received in the month "
        "and answered by the end of the period. Dashed: the whole network.",
    ),
    "agency.trend_note_partner": (
        "월별 중앙값: 그 달에 받은 의뢰 중 기간 말일까지 응답한 의뢰의 (응답일 − 의뢰일). "
        "응답이 적은 달은 보여 주지 않습니다.",
        "Monthly median of responded − requested over the referrals received in the month "
        "and answered by the end of the period. Months with few answers are not shown.",
    ),
    "agency.responses": ("응답 건수", "Responses"),
    "agency.no_responses": (
        "이 기간에 응답한 의뢰가 없습니다.",
        "No referral was answered in this period.",
    ),
    "agency.pending": ("응답 대기 {n}건", "Awaiting response: {n}"),
    "agency.pending_note": (
        "이 기관이 응답할 의뢰 · 기한 {days}일 초과 {overdue}건",
        "Referrals this agency must answer · {overdue} waiting more than {days} days",
    ),
    "agency.no_pending": (
        "응답을 기다리는 의뢰가 없습니다.",
        "No referral is waiting for an answer.",
    ),
    "agency.partners": ("자주 협업하는 기관", "Partners it works with most"),
    "agency.unknown": ("기관 {code}을(를) 찾을 수 없습니다.", "There is no agency {code}."),
    # ---- Data import page (views/data.py) ----
    "data.title": ("데이터 가져오기", "Data import"),
    "data.intro": (
        "시와 협업기관의 엑셀 자료(.xlsx, 또는 시트별 .csv 파일을 묶은 .zip)를 가져옵니다. "
        "먼저 검사해서 미리보기를 보여 주고, 확인해야만 저장합니다. 한 행이라도 문제가 있으면 "
        "아무것도 저장하지 않습니다.",
        "Import the city's and partners' Excel extracts (.xlsx, or a .zip of one .csv per "
        "sheet). The file is checked and previewed first and written only when you confirm. "
        "If any row has a problem, nothing is written.",
    ),
    "data.tab.import": ("가져오기", "Import"),
    "data.tab.files": ("양식 · 내보내기", "Template · export"),
    "data.tab.log": ("가져오기 기록", "Import log"),
    "data.upload": ("통합문서 올리기", "Upload a workbook"),
    "data.export.file": ("잇다_내보내기_{day}.xlsx", "itda-export-{day}.xlsx"),
    "platform.skip": ("본문 바로가기", "Skip to main content"),
    "platform.date.year": ("연도", "yyyy"),
    "platform.date.month": ("월", "mm"),
    "platform.date.day": ("일", "dd"),
    "platform.no_results": ("결과 없음", "No results"),
    "platform.nav.more": ("메뉴 모두 보기", "Show every page"),
    "platform.nav.less": ("메뉴 접기", "Show fewer pages"),
    "platform.toolbar.columns": ("열 보이기·숨기기", "Show/hide columns"),
    "platform.toolbar.csv": ("CSV로 내려받기", "Download as CSV"),
    "platform.toolbar.search": ("검색", "Search"),
    "platform.toolbar.fullscreen": ("전체 화면", "Fullscreen"),
    "platform.toolbar.close_fullscreen": ("전체 화면 닫기", "Close fullscreen"),
    "platform.toolbar.show_data": ("자료 보기", "Show data"),
    "platform.toolbar.show_chart": ("차트 보기", "Show chart"),
    "platform.toolbar.png": ("PNG로 내려받기", "Download as PNG"),
    "platform.toolbar.spec": ("차트 명세 복사", "Copy Vega-Lite spec"),
    "upload.button": ("파일 선택", "Choose a file"),
    "upload.limit": ("파일 하나에 {size}MB까지 · {types}", "Up to {size} MB per file · {types}"),
    "upload.drop": ("여기에 파일을 놓으세요", "Drop the file here"),
    "data.upload.help": (
        "양식과 같은 시트 이름과 머리글(한국어 또는 영어)을 쓰세요.",
        "Use the template's sheet names and headers (Korean or English).",
    ),
    "data.mode": ("가져오기 방식", "Mode"),
    "data.mode.upsert": (
        "추가·갱신: 같은 번호의 행은 바꾸고, 파일에 없는 행은 그대로 둡니다",
        "Upsert: rows with the same id are updated; rows not in the file are kept",
    ),
    "data.mode.replace": (
        "교체: 데이터베이스를 이 파일과 똑같이 만듭니다 (파일에 없는 행은 삭제)",
        "Replace: make the database equal to this file (rows not in it are deleted)",
    ),
    "data.replace.confirm": (
        "파일에 없는 행과 파일에 없는 시트의 모든 행이 삭제된다는 것을 확인했습니다.",
        "I understand that rows not in the file, and every row of sheets not in it, are deleted.",
    ),
    "data.step.validate": ("검사하는 중…", "Checking…"),
    "data.step.check": ("데이터베이스와 맞춰 보는 중…", "Checking against the database…"),
    "data.step.write": ("저장하는 중…", "Writing…"),
    "data.step.rollup": ("요약 값을 미리 계산하는 중…", "Precomputing the summary figures…"),
    "data.step.done": ("끝났습니다.", "Done."),
    "data.preview": ("미리보기", "Preview"),
    "data.preview.caption": (
        "저장하면 시트마다 이만큼 바뀝니다 (아직 저장하지 않았습니다).",
        "What writing will change, per sheet (nothing is written yet).",
    ),
    "data.problems": ("문제 목록", "Problems"),
    "data.warnings": ("경고 (가져오기는 할 수 있습니다)", "Warnings (the import can go ahead)"),
    "data.report": ("문제 보고서 내려받기 (.xlsx)", "Download the problem report (.xlsx)"),
    "data.write": ("가져오기 실행", "Import now"),
    "data.write.needs_confirm": (
        "교체 모드는 위에서 삭제를 확인해야 실행할 수 있습니다.",
        "Replace mode needs the deletion confirmed above.",
    ),
    "data.template": ("빈 양식 내려받기", "Download the blank template"),
    "data.template.help": (
        "머리글, 안내 시트, 목록 값 드롭다운이 들어 있는 가져오기 양식입니다.",
        "The import workbook with headers, an instructions sheet and drop-down lists.",
    ),
    "data.export": ("전체 데이터 내보내기", "Export all data"),
    "data.export.help": (
        "데이터베이스 전체를 가져오기 형식의 통합문서로 내려받습니다 (다른 설치본으로 옮길 때).",
        "The whole database as an import workbook (to move data to another installation).",
    ),
    "data.log.empty": ("아직 가져온 기록이 없습니다.", "Nothing has been imported yet."),
    "data.log.when": ("시각(KST)", "When (KST)"),
    "data.log.who": ("가져온 사람", "By"),
    "data.log.file": ("파일", "File"),
    "data.log.mode": ("방식", "Mode"),
    "data.log.outcome": ("결과", "Outcome"),
    "data.log.problems": ("오류 수", "Errors"),
    "data.log.rows": ("행 수", "Rows"),
    "data.log.hash": ("내용 해시", "Content hash"),
    "data.mode.short.upsert": ("추가·갱신", "upsert"),
    "data.mode.short.replace": ("교체", "replace"),
    "data.outcome.ok": ("완료", "ok"),
    "data.outcome.rejected": ("거부", "rejected"),
    "data.outcome.failed": ("실패", "failed"),
    # ---- maps and neighbourhood boundaries (lib/geo.py, lib/charts/maps.py) --------------
    "map.title": ("지도로 보기", "On the map"),
    "map.caption": (
        "색이 진할수록 값이 큽니다(회색: 값 없음). 읍면동을 누르면 그 페이지로 갑니다.",
        "Darker means higher (grey: no value). Click a neighbourhood to open its page.",
    ),
    "map.caption.district": (
        "색이 진할수록 값이 큽니다(회색: 값 없음). 읍면동마다 그 시군구의 값으로 칠했습니다. "
        "누르면 그 시군구 페이지로 갑니다.",
        "Darker means higher (grey: no value). Each neighbourhood has its district's colour; "
        "click one to open the district's page.",
    ),
    "map.rank": ("{n}곳 중 {rank}위", "{rank} of {n}"),
    "map.rank.title": ("순위", "Rank"),
    "map.locator": ("시 안에서의 위치", "Where it is in the city"),
    "audit.action.boundaries_import": ("경계 가져오기", "Boundary import"),
    "data.tab.boundaries": ("읍면동 경계", "Neighbourhood boundaries"),
    "data.boundaries.intro": (
        "지도에 쓰는 읍면동 경계를 널리 쓰이는 행정동 경계 GeoJSON 파일에서 가져옵니다. "
        "경계마다 adm_cd2 속성(10자리 행정동 코드, 읍면동 코드와 같아야 함)과 adm_nm 속성, "
        "경도·위도 좌표의 다각형이 있어야 합니다. 전국 파일을 올려도 이 시의 읍면동만 "
        "저장하며, 가져오면 저장된 경계를 모두 바꿉니다.",
        "The neighbourhood shapes of the maps come from a 행정동 GeoJSON file (e.g. "
        "HangJeongDong_ver*.geojson). Each feature needs properties.adm_cd2 (the 10-digit "
        "행정동 code, equal to the neighbourhood code), adm_nm, and a Polygon or MultiPolygon "
        "in WGS84 longitude/latitude. A whole-country file is fine: only the city's "
        "neighbourhoods are kept. An import replaces every stored shape.",
    ),
    "data.boundaries.upload": ("경계 파일 올리기 (GeoJSON)", "Upload a boundary file (GeoJSON)"),
    "data.boundaries.upload.help": (
        "행정동 GeoJSON(.geojson, .json). 먼저 미리보기를 보여 주고, 저장은 버튼을 누를 때만 합니다.",
        "A 행정동 GeoJSON (.geojson, .json). You see a preview first; nothing is saved until "
        "you press the button.",
    ),
    "data.boundaries.current": (
        "지금 저장된 경계: 읍면동 {n}곳",
        "Shapes stored now: {n} neighbourhood(s)",
    ),
    "data.boundaries.missing": ("경계가 없는 읍면동", "Neighbourhoods without a shape"),
    "data.boundaries.write": ("경계 저장", "Save the boundaries"),
    "data.boundaries.code": ("읍면동 코드", "Code"),
    # ---- report: PDF and PowerPoint (lib/review/pdf.py, deck.py, render.py, command.py;
    # views/report.py; ui.report_button) ---------------------------------------------------
    "report.title": ("{scope} 성과 보고서", "Performance review: {scope}"),
    "report.kicker": ("성과보고회 자료", "Performance review"),
    "report.field.city": ("시", "City"),
    "report.field.scope": ("범위", "Scope"),
    "report.field.made_by": ("작성", "Made by"),
    "report.field.made_at": ("작성 시각", "Made at"),
    "report.vs": ("비교", "vs"),
    "report.summary": ("요약", "Summary"),
    "report.contents": ("차례", "Contents"),
    "report.definitions": ("지표 정의", "Definitions"),
    "report.col.metric": ("지표", "Metric"),
    "report.col.change": ("증감", "Change"),
    "report.col.percent": ("증감률", "Change %"),
    "report.col.city": ("시 전체", "City"),
    "report.col.rank": ("순위", "Rank"),
    "report.rank": ("{rank}위/{n}", "{rank} of {n}"),
    "report.rank_note": (
        "순위: 읍면동 가운데 값이 높은 순서(1위가 가장 높음).",
        "Rank: among the neighbourhoods, highest value first.",
    ),
    "report.rank_per_1000_note": (
        "* 1천 세대당 값으로 매긴 순위.",
        "* ranked on the value per 1,000 households.",
    ),
    "report.rate_note": (
        "비율의 증감은 %p(퍼센트포인트)로, 금액과 수의 증감은 비교 기간 값에 대한 %로도 씁니다.",
        "Rates change in percentage points (pp); counts and money also in % of the "
        "comparison period's value.",
    ),
    "report.partner_note": (
        "공유 링크 열람용: 1~{last}인 수는 '<{threshold}'로, 바탕이 작은 비율·중앙값·금액은 "
        "'–'로 가렸습니다.",
        "Made for a share link: counts of 1 to {last} read '<{threshold}'; rates, medians "
        "and amounts on too small a basis read '–'.",
    ),
    "report.file_word": ("보고서", "report"),
    "report.page": ("{page} / {total}", "{page} / {total}"),
    "audit.action.report": ("보고서 만들기", "Report made"),
    "nav.report": ("보고서", "Reports"),
    "report.page.title": ("보고서 내려받기", "Download a report"),
    "report.page.intro": (
        "성과보고회용 보고서를 A4 가로 PDF나 편집할 수 있는 파워포인트로 내려받습니다. "
        "표지, 요약, 영역마다 지표와 증감, 차트, 지표 정의가 들어갑니다.",
        "Download a performance review as an A4 landscape PDF or an editable PowerPoint "
        "deck: a title page, the summary, and for each area its metrics with their changes, "
        "its charts and the definitions.",
    ),
    "report.page.kind": ("대상", "Report on"),
    "report.page.format": ("형식", "Format"),
    "report.page.filters": (
        "기간과 비교 기준은 왼쪽의 필터를 따릅니다. 파일은 단추를 누를 때 만들어지며 몇 초 걸립니다.",
        "The period and the comparison are the filters' on the left. The file is made "
        "when you press the button, which takes a few seconds.",
    ),
    "report.page.partner": (
        "이 링크로 볼 수 있는 범위의 보고서만 만들 수 있으며, 작은 수는 화면처럼 가려집니다.",
        "You can make reports of what this link shows only; small numbers are hidden as "
        "on the pages.",
    ),
    "report.page.nothing": ("보고서로 만들 대상이 없습니다.", "There is nothing to report on."),
    "report.kind.city": ("시 전체", "Whole city"),
    "report.kind.neighbourhood": ("읍면동", "Neighbourhood"),
    "report.kind.agency": ("기관", "Agency"),
    "report.format.pdf": ("PDF (A4 가로)", "PDF (A4 landscape)"),
    "report.format.pptx": ("파워포인트 (16:9)", "PowerPoint (16:9)"),
    "report.format.short.pdf": ("PDF", "PDF"),
    "report.format.short.pptx": ("파워포인트", "PowerPoint"),
    "report.download": ("{format} 내려받기", "Download {format}"),
    "report.button": ("보고서", "Report"),
    "report.button.help": (
        "이 페이지의 보고서({period}, 비교 기준은 필터대로)",
        "This page's report ({period}, compared as the filters say)",
    ),
    # ---- performance reviews: content and written summaries (lib/review/) -------------
    "review.city_scope": ("{city} 전체", "{city}"),
    "review.section.referrals": ("의뢰 주고받기", "Referrals exchanged"),
    "review.section.responses": ("응답", "Responses"),
    "review.figure.ranking": ("읍면동 순위: {metric}", "Neighbourhoods ranked: {metric}"),
    "review.table.won": ("{label}(원)", "{label} (won)"),
    # Written summaries (lib/review/summary.py): the grammar is there, the words here.
    # Korean verb stems take "습니다." or "고," (늘었습니다, 늘었고); particles are added
    # to the fields in code (topic = label + 은/는, value_ro = value + (으)로, cmp_wa =
    # comparison + 과/와, …); in English those fields are the bare words.
    "summary.up.amount": ("늘었", "up"),
    "summary.down.amount": ("줄었", "down"),
    "summary.up.level": ("높아졌", "up"),
    "summary.down.level": ("낮아졌", "down"),
    "summary.pct": ("({pct}%)", " ({pct}%)"),
    "summary.than": ("{cmp}보다", "on the {cmp}"),
    "summary.rank": ("{n}개 읍면동 중 {rank}위", "{rank} of {n} neighbourhoods"),
    "summary.rank_per_1000": (
        "1천 세대당 {n}개 읍면동 중 {rank}위",
        "{rank} of {n} neighbourhoods per 1,000 households",
    ),
    "summary.rank.district": ("{n}개 시·군·구 중 {rank}위", "{rank} of {n} districts"),
    "summary.rank.province": ("{n}개 시·도 중 {rank}위", "{rank} of {n} provinces"),
    "summary.rank_per_1000.district": (
        "1천 세대당 {n}개 시·군·구 중 {rank}위",
        "{rank} of {n} districts per 1,000 households",
    ),
    "summary.rank_per_1000.province": (
        "1천 세대당 {n}개 시·도 중 {rank}위",
        "{rank} of {n} provinces per 1,000 households",
    ),
    "summary.end": ("습니다.", "."),
    "summary.end.rank": ("고, {rank}입니다.", ", ranking {rank}."),
    "summary.open.change": (
        "{period} {scope}의 {topic} {value_ro} {than} {change}{pct} {verb}{end}",
        "In {period}, {topic} in {scope} stood at {value_ro}, {verb} {change}{pct} {than}{end}",
    ),
    "summary.open.same": (
        "{period} {scope}의 {topic} {value_ro} {cmp_wa} 같{end}",
        "In {period}, {topic} in {scope} stood at {value_ro}, unchanged from the {cmp_wa}{end}",
    ),
    "summary.open.plain": (
        "{period} {scope}의 {topic} {value}입니다.",
        "In {period}, {topic} in {scope} stood at {value}.",
    ),
    "summary.open.plain_rank": (
        "{period} {scope}의 {topic} {value_ro} {rank}입니다.",
        "In {period}, {topic} in {scope} stood at {value_ro}, ranking {rank}.",
    ),
    "summary.clause.change": (
        "{topic} {value_ro} {change}{pct} {verb}{end}",
        "{topic} stood at {value_ro}, {verb} {change}{pct}{end}",
    ),
    "summary.clause.change.link": ("고,", ";"),
    "summary.clause.change.end": ("습니다.", "."),
    "summary.clause.same": (
        "{topic} {value_ro} 변동이 없{end}",
        "{topic} stood at {value_ro}, unchanged{end}",
    ),
    "summary.clause.same.link": ("고,", ";"),
    "summary.clause.same.end": ("습니다.", "."),
    "summary.clause.plain": ("{topic} {value}{end}", "{topic} stood at {value}{end}"),
    "summary.clause.plain.link": ("이고,", ";"),
    "summary.clause.plain.end": ("입니다.", "."),
    "summary.mover.city": (
        "읍면동 가운데 변화가 가장 큰 곳은 {name_ro}, {subject} {change}{pct} {verb}습니다.",
        "Among the neighbourhoods, {name_ro} changed most, with {subject} {verb} {change}{pct}.",
    ),
    "summary.mover.district": (
        "시·군·구 가운데 변화가 가장 큰 곳은 {name_ro}, {subject} {change}{pct} {verb}습니다.",
        "Among the districts, {name_ro} changed most, with {subject} {verb} {change}{pct}.",
    ),
    "summary.mover.province": (
        "시·도 가운데 변화가 가장 큰 곳은 {name_ro}, {subject} {change}{pct} {verb}습니다.",
        "Among the provinces, {name_ro} changed most, with {subject} {verb} {change}{pct}.",
    ),
    "summary.mover.metric": (
        "가장 크게 변한 지표는 {topic_ro}, {than} {change}{pct} {verb}습니다.",
        "The largest change was in {topic_ro}: {verb} {change}{pct} {than}.",
    ),
    # ---- presentation mode and print (lib/present.py, issue #11) ---------------------
    "present.switch": ("발표 모드", "Presentation mode"),
    "present.enter": ("발표 모드", "Present"),
    "present.enter.help": (
        "이 화면을 발표용 슬라이드로 봅니다(전체 화면은 F11). 화살표 키로 넘깁니다.",
        "Show this page as slides for a projector (full screen: F11); the arrow keys turn them.",
    ),
    "present.leave": ("발표 마침", "Leave"),
    "present.pages": ("다른 화면", "Pages"),
    "present.previous": ("이전", "Previous"),
    "present.next": ("다음", "Next"),
    "present.kicker": ("{city} 성과보고", "{city} performance review"),
    "present.agenda": ("순서", "Contents"),
    "present.defs": ("지표 정의", "Definitions"),
    "present.headline": ("주요 지표", "Headline"),
    "present.changes": ("변화는 {comparison} 대비", "Changes against the {comparison}"),
    "present.nothing": (
        "이 화면에는 발표할 지표가 없습니다.",
        "This page has no numbers to present.",
    ),
    "print.printed": ("인쇄 {date}", "Printed {date}"),
    # ---- downloads beside every chart and table (issue #11, lib/exports.py, ui.downloads) ----
    "download.label": ("내려받기", "Download"),
    "download.chart.png": ("그림 PNG (고해상도)", "Image PNG (high resolution)"),
    "download.chart.svg": ("그림 SVG (벡터)", "Image SVG (vector)"),
    "download.chart.csv": ("데이터 CSV", "Data CSV"),
    "download.chart.xlsx": ("데이터 XLSX (엑셀)", "Data XLSX (Excel)"),
    "download.csv": ("CSV", "CSV"),
    "download.xlsx": ("XLSX (엑셀)", "XLSX (Excel)"),
    "download.app": ("잇다", "Itda"),
    "download.rank": ("순위", "Rank"),
    "download.limit": ("응답 기한", "Response limit"),
    "download.donations": ("후원 건수", "Donations"),
    "audit.action.download": ("내려받기", "Download"),
    # ---- region levels (lib.regions): navigation, picker, region pages ----------------
    "region.nation": ("전국", "Nationwide"),
    "region.breadcrumb": ("지역 경로", "Where this is"),
    "region.total": ("{name} 전체", "All of {name}"),
    "region.kind.province": ("시도", "Province"),
    "region.kind.district": ("시군구", "District"),
    "region.unit.neighbourhood": ("읍면동", "Neighbourhood"),
    "region.unit.district": ("시군구", "District"),
    "region.unit.province": ("시도", "Province"),
    "nav.overview.region": ("{name} 개요", "{name} overview"),
    "nav.picker": ("지역 찾기", "Find a region"),
    "picker.title": ("지역 찾기", "Find a region"),
    "picker.province": ("시도", "Province"),
    "picker.district": ("시군구", "District"),
    "picker.neighbourhood": ("읍면동", "Neighbourhood"),
    "picker.choose": ("선택하세요", "Choose"),
    "picker.search": ("이름이나 코드로 찾기", "Search by name or code"),
    "picker.search_hint": ("예: 중앙동, 44200", "e.g. 중앙동, 44200"),
    "picker.none": ("찾은 지역이 없습니다.", "No region found."),
    "picker.more": (
        "{total}곳 가운데 {shown}곳만 보입니다. 이름을 더 쓰거나 코드로 찾으세요.",
        "Showing {shown} of {total}. Type more of the name, or a code.",
    ),
    "picker.page.title": ("지역 찾기", "Find a region"),
    "picker.page.intro": (
        "시도, 시군구, 읍면동을 차례로 고르거나 이름이나 코드로 찾으면 그 페이지가 열립니다.",
        "Choose a province, district and neighbourhood in turn, or search by name or code, "
        "to open its page.",
    ),
    "picker.list.province": ("시도", "Provinces"),
    "picker.list.district": ("{top}의 시군구", "Districts of {top}"),
    "picker.list.neighbourhood": ("{top}의 읍면동", "Neighbourhoods of {top}"),
    "picker.count.province": ("시군구 {n}곳", "districts: {n}"),
    "picker.count.district": ("읍면동 {n}곳", "neighbourhoods: {n}"),
    "overview.region_title": ("{name} 복지 네트워크 개요", "{name}: welfare network overview"),
    "overview.table.region": ("{unit} 비교", "{unit} comparison"),
    "overview.table.region_caption": (
        "맨 윗줄(회색)은 {total}의 값입니다(비율은 {total}로 다시 계산한 값이며 {unit} 값의 "
        "합이나 평균이 아닙니다). 열 제목을 눌러 정렬합니다. 이름을 누르면 그 페이지가 열립니다.",
        "The first row (grey) is {total} (its rates are worked out for it, not summed or "
        "averaged over the {unit} rows). Click a column title to sort. Click a name to open "
        "its page.",
    ),
    "overview.ranking.region": ("{unit} 순위 (높은 순)", "{unit} ranking (highest first)"),
    "chart.ranking_order.unit": ("{unit} (높은 순)", "{unit} (highest first)"),
    "error.unknown_region": (
        "지역 코드 {code}을(를) 찾을 수 없습니다.",
        "No region has the code {code}.",
    ),
    "metric.total_rank": ("{total} {city} · {rank}", "{total} {city} · {rank}"),
    "metric.total_only": ("{total} {city}", "{total} {city}"),
    "donations.by_unit": ("{unit}별 모금·지원과 목표", "By {unit}, against targets"),
    "donations.by_unit_month": ("{unit}별 월별 모금·지원", "By {unit} and month"),
    "donations.target_mark.region": (
        "검은 세로 막대는 그 {unit}의 올해 모금 목표입니다(목표가 있는 곳만).",
        "The black tick is the {unit}'s donation target for the year (where one is set).",
    ),
    "donations.top_fund": ("{name} 공동 모금", "{name}-wide fund"),
    "toc.by_unit": ("{unit}별 목표 대비", "By {unit}"),
}


def normalize_lang(lang: str | None) -> str:
    """`lang` if it is a supported language, else the default (Korean)."""
    return lang if lang in LANGS else DEFAULT_LANG


def t(key: str, lang: str = DEFAULT_LANG, **fmt: object) -> str:
    """The string `key` in `lang`, formatted with `fmt`; the key itself when unknown."""
    pair = STRINGS.get(key)
    if pair is None:
        _log.warning("missing translation key %r", key)
        return key
    text = pair[1] if lang == "en" else pair[0]
    return text.format(**fmt) if fmt else text


def enum_label(enum: dict[str, str], value: str | None, lang: str = DEFAULT_LANG) -> str:
    """A stored enumeration value (Korean) as the UI shows it in `lang`."""
    text = enums.label(enum, value, lang)
    # English values are lower case in the contract; a label starts with a capital.
    return text[:1].upper() + text[1:] if lang == "en" else text
