"""The metric registry: one definition per metric, as in shared/spec/metrics.md.

Keys are stable identifiers (CLI output, exports, targets). Every place that shows a
number takes its label and its definition (help text) from here, so the definitions
page, tooltips and reports cannot disagree.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Area = Literal["caseload", "donations", "sharing", "outreach", "self_sufficiency"]
# count: whole number · krw: whole won · rate: percentage · days: median in days
Unit = Literal["count", "krw", "rate", "days"]


@dataclass(frozen=True)
class Metric:
    key: str
    area: Area
    unit: Unit
    ko: str
    en: str
    definition_ko: str
    definition_en: str
    target_allowed: bool = False
    # For ranking neighbourhoods: the key to rank on where counts would favour large ones.
    rank_per_1000: bool = False
    higher_is_better: bool | None = True
    agency_scope: bool = False  # also defined for one agency (case-sharing metrics)
    # A table column's English header: the full labels are too wide for the overview's
    # comparison table at 1440 px, where Korean fits. The full label stays in its tooltip.
    short_en: str = ""

    def label(self, lang: str) -> str:
        return self.ko if lang == "ko" else self.en

    def column_label(self, lang: str) -> str:
        """The label as a table column's header (Korean labels are already short)."""
        return self.ko if lang == "ko" else (self.short_en or self.en)

    def definition(self, lang: str) -> str:
        return self.definition_ko if lang == "ko" else self.definition_en


AREAS: dict[Area, tuple[str, str]] = {
    "caseload": ("사례관리", "Caseload"),
    "donations": ("후원", "Donations"),
    "sharing": ("사례공유", "Case-sharing"),
    "outreach": ("찾아가는 방문", "Outreach"),
    "self_sufficiency": ("자활", "Self-sufficiency"),
}

METRICS: tuple[Metric, ...] = (
    # ---- Caseload · 사례관리 ------------------------------------------------------------
    Metric(
        "discovered",
        "caseload",
        "count",
        "발굴 가구",
        "Households identified",
        "기간 중 발굴일이 있는 사례 수",
        "cases with discovered_on in P",
        rank_per_1000=True,
        short_en="Identified",
    ),
    Metric(
        "opened",
        "caseload",
        "count",
        "신규 사례관리",
        "New cases",
        "기간 중 사례관리시작일이 있는 사례 수",
        "cases with opened_on in P",
        rank_per_1000=True,
        short_en="New cases",
    ),
    Metric(
        "active",
        "caseload",
        "count",
        "진행 중 사례",
        "Active cases",
        "기간 말일까지 사례관리를 시작했고, 종결일이 없거나 기간 말일 이후인 사례 수",
        "cases with opened_on ≤ end and (closed_on empty or > end)",
        rank_per_1000=True,
        higher_is_better=None,
        short_en="Active",
    ),
    Metric(
        "closed",
        "caseload",
        "count",
        "종결 사례",
        "Closed cases",
        "사례관리를 시작한 사례 중 기간 중 종결일이 있는 사례 수",
        "cases with opened_on not empty and closed_on in P",
        rank_per_1000=True,
        short_en="Closed",
    ),
    Metric(
        "active_per_1000",
        "caseload",
        "rate",
        "1천 세대당 진행 사례",
        "Active per 1,000 households",
        "진행 중 사례 ÷ 세대수 × 1,000 (시 전체는 읍면동 세대수의 합)",
        "active ÷ households of the scope × 1000 (city: sum over neighbourhoods)",
        higher_is_better=None,
        short_en="Active per 1k households",
    ),
    Metric(
        "high_risk_share",
        "caseload",
        "rate",
        "고위험 비율",
        "High-risk share",
        "진행 중 사례 중 위기도가 고위험인 사례의 비율(%)",
        "share of active cases with risk_level = 고위험 (high)",
        higher_is_better=None,
        short_en="High risk",
    ),
    Metric(
        "isolated_active",
        "caseload",
        "count",
        "고립 가구",
        "Isolated households",
        "진행 중 사례 중 사회적 고립(Y) 가구 수",
        "active cases with isolated = Y",
        rank_per_1000=True,
        higher_is_better=None,
        short_en="Isolated",
    ),
    Metric(
        "served_households",
        "caseload",
        "count",
        "서비스 지원 가구",
        "Households served",
        "기간 중 서비스를 1건 이상 제공받았거나 후원금을 1건 이상 지원받은 사례(중복 제외) 수",
        "distinct cases with ≥ 1 service (provided_on in P) or ≥ 1 disbursement (paid_on in P)",
        rank_per_1000=True,
        short_en="Served",
    ),
    Metric(
        "services",
        "caseload",
        "count",
        "서비스 제공 건수",
        "Services delivered",
        "기간 중 제공일이 있는 서비스 건수",
        "services with provided_on in P",
        rank_per_1000=True,
        short_en="Services",
    ),
    Metric(
        "plan_on_time_rate",
        "caseload",
        "rate",
        "계획수립 기한 준수율",
        "Plans within 30 days",
        "기간 중 사례관리를 시작했고 시작일 + 30일이 기간 말일 이전인 사례 중, "
        "시작일 + 30일 안에 계획을 수립한 사례의 비율(%)",
        "among cases with opened_on in P and opened_on + 30 ≤ end: share with plan_on "
        "not empty and plan_on ≤ opened_on + 30",
        short_en="Plan on time",
    ),
    Metric(
        "median_days_open",
        "caseload",
        "days",
        "종결 사례 관리기간(중앙값)",
        "Median days to close",
        "종결 사례의 (종결일 − 사례관리시작일) 일수의 중앙값",
        "median of closed_on − opened_on over the closed cases",
        higher_is_better=None,
        short_en="Days to close",
    ),
    # ---- Donations · 후원 ---------------------------------------------------------------
    Metric(
        "donations_krw",
        "donations",
        "krw",
        "모금액",
        "Donations raised",
        "기간 중 접수된 후원의 금액 합계(원). 시 전체에는 읍면동 미지정(시 단위) 후원도 포함",
        "sum of amount_krw of donations with received_on in P",
        target_allowed=True,
        rank_per_1000=True,
        short_en="Raised",
    ),
    Metric(
        "donations_cash_krw",
        "donations",
        "krw",
        "현금 모금액",
        "Cash donations",
        "모금액 중 후원형태가 현금인 금액",
        "the same, form = 현금 (cash)",
        rank_per_1000=True,
        short_en="Cash",
    ),
    Metric(
        "donations_inkind_krw",
        "donations",
        "krw",
        "현물 모금액",
        "In-kind donations",
        "모금액 중 후원형태가 현물인 금액(평가액)",
        "the same, form = 현물 (in-kind)",
        rank_per_1000=True,
        short_en="In-kind",
    ),
    Metric(
        "donation_count",
        "donations",
        "count",
        "후원 건수",
        "Donations",
        "기간 중 접수된 후원 건수",
        "donations with received_on in P",
        rank_per_1000=True,
        short_en="Donations",
    ),
    Metric(
        "donors",
        "donations",
        "count",
        "후원자 수",
        "Donors",
        "그 후원들의 후원자번호(중복 제외) 수. 후원자번호가 없는 후원은 건마다 1명",
        "distinct donor_id among those donations; each donation without a donor_id "
        "counts as one donor",
        rank_per_1000=True,
        short_en="Donors",
    ),
    Metric(
        "disbursed_krw",
        "donations",
        "krw",
        "지원액",
        "Amount given",
        "기간 중 지급된 후원금 지원액 합계(원)",
        "sum of amount_krw of disbursements with paid_on in P",
        rank_per_1000=True,
        short_en="Given",
    ),
    Metric(
        "supported_households",
        "donations",
        "count",
        "후원금 지원 가구",
        "Households given aid",
        "그 후원금 지원을 받은 사례(중복 제외) 수",
        "distinct cases among those disbursements",
        rank_per_1000=True,
        short_en="Given aid",
    ),
    Metric(
        "donation_target_rate",
        "donations",
        "rate",
        "모금 목표 달성률",
        "Donation target reached",
        "모금액 ÷ 해당 연도 모금액 목표(%). 기간이 한 해 안에 있고 목표가 있을 때만",
        "donations_krw ÷ the donations_krw target of P's year for the scope; only when P "
        "lies within one calendar year and such a target exists",
        short_en="Of target",
    ),
    # ---- Case-sharing · 사례공유 --------------------------------------------------------
    Metric(
        "referrals_sent",
        "sharing",
        "count",
        "의뢰 건수",
        "Referrals sent",
        "기간 중 의뢰일이 있는 의뢰 건수 (기관: 그 기관이 보낸 의뢰)",
        "referrals with requested_on in P (agency: referrals from the agency)",
        rank_per_1000=True,
        agency_scope=True,
        higher_is_better=None,
        short_en="Referrals",
    ),
    Metric(
        "referrals_received",
        "sharing",
        "count",
        "수신 건수",
        "Referrals received",
        "기관: 그 기관이 받은 의뢰 중 기간 중 의뢰일이 있는 건수 "
        "(시·읍면동: 의뢰는 모두 어떤 기관이 받으므로 의뢰 건수와 같음)",
        "(agency scope) referrals to the agency with requested_on in P (city and "
        "neighbourhoods: every referral is received by an agency, so equal to referrals sent)",
        rank_per_1000=True,
        agency_scope=True,
        higher_is_better=None,
        short_en="Received",
    ),
    Metric(
        "acceptance_rate",
        "sharing",
        "rate",
        "수락률",
        "Acceptance rate",
        "기간 중 의뢰되어 기간 말일까지 응답한 의뢰 중 수락(수락·연계완료·연계실패) ÷ "
        "(수락 + 불수락)",
        "among referrals with requested_on in P and responded_on ≤ end: accepted ÷ "
        "(accepted + 불수락 (declined))",
        agency_scope=True,
        short_en="Accepted",
    ),
    Metric(
        "median_response_days",
        "sharing",
        "days",
        "응답 소요일(중앙값)",
        "Median days to respond",
        "기간 중 의뢰되어 기간 말일까지 응답한 의뢰의 (응답일 − 의뢰일) 일수의 중앙값",
        "median of responded_on − requested_on over referrals with requested_on in P and "
        "responded_on ≤ end",
        higher_is_better=False,
        agency_scope=True,
        short_en="Days to respond",
    ),
    Metric(
        "pending",
        "sharing",
        "count",
        "응답 대기",
        "Awaiting response",
        "기간 말일까지 의뢰되었고, 그때까지 응답이 없으며, 그때까지 회수되지 않은 의뢰 건수",
        "referrals with requested_on ≤ end, (responded_on empty or > end), and not "
        "withdrawn by the end (status 회수 with closed_on ≤ end)",
        higher_is_better=False,
        agency_scope=True,
        rank_per_1000=True,
        short_en="Awaiting",
    ),
    Metric(
        "overdue",
        "sharing",
        "count",
        "기한 초과 대기",
        "Overdue",
        "응답 대기 중 (기간 말일 − 의뢰일)이 응답 기한(설정, 기본 7일)을 넘은 의뢰 건수",
        "pending referrals with end − requested_on > the response limit (setting, default 7 days)",
        higher_is_better=False,
        agency_scope=True,
        rank_per_1000=True,
        short_en="Overdue",
    ),
    Metric(
        "completion_rate",
        "sharing",
        "rate",
        "연계 완료율",
        "Completion rate",
        "기간 중 의뢰되어 수락되고 기간 말일까지 종료된 의뢰 중 연계완료 ÷ (연계완료 + 연계실패)",
        "among referrals with requested_on in P, an accepted status and closed_on ≤ end: "
        "연계완료 (completed) ÷ (연계완료 + 연계실패 (failed))",
        agency_scope=True,
        short_en="Completed",
    ),
    # ---- Outreach · 찾아가는 방문 -------------------------------------------------------
    Metric(
        "households_visited",
        "outreach",
        "count",
        "방문 세대",
        "Households visited",
        "기간 중 찾아가는 방문의 방문세대수 합계",
        "sum of households_visited of visits with visited_on in P",
        rank_per_1000=True,
        short_en="Visited",
    ),
    Metric(
        "households_found",
        "outreach",
        "count",
        "방문 발굴 세대",
        "Found on visits",
        "그 방문들의 발굴세대수 합계",
        "sum of households_found of those visits",
        rank_per_1000=True,
        short_en="Found",
    ),
    # ---- Self-sufficiency · 자활 --------------------------------------------------------
    Metric(
        "ss_active",
        "self_sufficiency",
        "count",
        "자활 참여 중",
        "In self-sufficiency work",
        "기간 말일까지 참여를 시작했고 종료일이 없거나 기간 말일 이후인 참여자 수",
        "participants with started_on ≤ end and (ended_on empty or > end)",
        rank_per_1000=True,
        short_en="Participants",
    ),
    Metric(
        "ss_started",
        "self_sufficiency",
        "count",
        "신규 자활 참여",
        "New participants",
        "기간 중 참여를 시작한 참여자 수",
        "participants with started_on in P",
        rank_per_1000=True,
        short_en="Joined",
    ),
    Metric(
        "ss_exits",
        "self_sufficiency",
        "count",
        "자활 종료",
        "Participants who left",
        "기간 중 참여를 종료한 참여자 수",
        "participants with ended_on in P",
        rank_per_1000=True,
        higher_is_better=None,
        short_en="Left",
    ),
    Metric(
        "ss_success_rate",
        "self_sufficiency",
        "rate",
        "자활 성공률",
        "Left for work or independence",
        "자활 종료자 중 종료사유가 취업·창업·탈수급인 비율(%)",
        "share of ss_exits with outcome 취업 (employed), 창업 (own business) or "
        "탈수급 (left benefits)",
        short_en="Success",
    ),
    Metric(
        "ss_programmes",
        "self_sufficiency",
        "count",
        "운영 사업단",
        "Programmes running",
        "자활 참여 중인 참여자들의 사업단(중복 제외) 수",
        "distinct programme among the ss_active participants",
        short_en="Programmes",
    ),
)

BY_KEY: dict[str, Metric] = {m.key: m for m in METRICS}
METRIC_KEYS: tuple[str, ...] = tuple(m.key for m in METRICS)
AGENCY_METRIC_KEYS: tuple[str, ...] = tuple(m.key for m in METRICS if m.agency_scope)
# The eight numbers a department head reads first: the overview's headline tiles and the
# first section of a performance review (lib.review).
HEADLINE_KEYS: tuple[str, ...] = (
    "discovered",
    "active",
    "served_households",
    "referrals_sent",
    "donations_krw",
    "disbursed_krw",
    "acceptance_rate",
    "overdue",
)
TARGET_METRIC_KEYS: tuple[str, ...] = tuple(m.key for m in METRICS if m.target_allowed)


def metrics_in(area: Area) -> tuple[Metric, ...]:
    """The metrics of one area, in the order of metrics.md."""
    return tuple(m for m in METRICS if m.area == area)
