"""The enumerations of the import contract (shared/spec/import-format.md).

The database stores the Korean value; the English value (in brackets in the contract)
is accepted on import and shown in the English UI. Keys are the Korean values so that a
stored row reads the way the city's staff write it.
"""

from __future__ import annotations

# Each enumeration: Korean value -> English value.
NEIGHBOURHOOD_KIND = {"읍": "eup", "면": "myeon", "동": "dong"}
SECTOR = {"공공": "public", "민간": "private"}
AGENCY_KIND = {
    "행정복지센터": "administrative welfare centre",
    "희망복지지원단": "hope welfare support team",
    "종합사회복지관": "community welfare centre",
    "지역자활센터": "self-sufficiency centre",
    "노인복지관": "senior welfare centre",
    "장애인복지관": "disability welfare centre",
    "정신건강복지센터": "mental health centre",
    "보건소": "public health centre",
    "기타": "other",
}
CHANNEL = {
    "이웃신고": "neighbour",
    "행복키움추진단": "council",
    "찾아가는방문": "outreach",
    "사각지대발굴시스템": "bigdata",
    "기관의뢰": "agency",
    "본인신청": "self",
    "기타": "other",
}
RISK_LEVEL = {"일반": "general", "위기": "crisis", "고위험": "high"}
HOUSEHOLD_TYPE = {
    "독거노인": "older person living alone",
    "노인부부": "older couple",
    "한부모": "single parent",
    "조손": "grandparent-grandchild",
    "1인청장년": "single adult",
    "장애인": "disability",
    "다문화": "multicultural",
    "기타": "other",
}
YES_NO = {"Y": "Y", "N": "N"}
CLOSE_REASON = {
    "목표달성": "achieved",
    "타기관이관": "transferred",
    "이사": "moved",
    "사망": "died",
    "거부": "refused",
    "기타": "other",
}
SERVICE_CATEGORY = {
    "생계": "living costs",
    "의료": "medical",
    "주거": "housing",
    "돌봄": "care",
    "정서지원": "emotional support",
    "일자리": "employment",
    "교육": "education",
    "기타": "other",
}
DONOR_TYPE = {
    "개인": "individual",
    "단체": "group",
    "기업": "company",
    "종교단체": "religious",
    "기타": "other",
}
DONATION_FORM = {"현금": "cash", "현물": "in-kind"}
DISBURSEMENT_PURPOSE = {
    "생계": "living costs",
    "의료": "medical",
    "주거": "housing",
    "공과금": "utility bills",
    "교육": "education",
    "명절지원": "holiday support",
    "기타": "other",
}
REFERRAL_STATUS = {
    "의뢰": "sent",
    "수락": "accepted",
    "불수락": "declined",
    "연계완료": "completed",
    "연계실패": "failed",
    "회수": "withdrawn",
}
REFERRAL_REASON = {
    "대상아님": "ineligible",
    "정원초과": "no capacity",
    "연락불가": "unreachable",
    "본인거부": "refused",
    "기타": "other",
}
PROGRAMME_KIND = {"자활사업단": "project group", "자활기업": "enterprise", "기타": "other"}
SS_OUTCOME = {
    "취업": "employed",
    "창업": "own business",
    "탈수급": "left benefits",
    "중도포기": "dropped out",
    "기타": "other",
}

# Statuses that mean the receiving agency accepted the referral (metrics.md).
ACCEPTED_STATUSES = ("수락", "연계완료", "연계실패")
SS_SUCCESS_OUTCOMES = ("취업", "창업", "탈수급")

ALL_ENUMS: dict[str, dict[str, str]] = {
    "neighbourhood_kind": NEIGHBOURHOOD_KIND,
    "sector": SECTOR,
    "agency_kind": AGENCY_KIND,
    "channel": CHANNEL,
    "risk_level": RISK_LEVEL,
    "household_type": HOUSEHOLD_TYPE,
    "close_reason": CLOSE_REASON,
    "service_category": SERVICE_CATEGORY,
    "donor_type": DONOR_TYPE,
    "donation_form": DONATION_FORM,
    "disbursement_purpose": DISBURSEMENT_PURPOSE,
    "referral_status": REFERRAL_STATUS,
    "referral_reason": REFERRAL_REASON,
    "programme_kind": PROGRAMME_KIND,
    "ss_outcome": SS_OUTCOME,
}


def label(enum: dict[str, str], value: str | None, lang: str) -> str:
    """The value as the UI shows it: Korean as stored, or its English name."""
    if value is None:
        return ""
    return value if lang == "ko" else enum.get(value, value)
