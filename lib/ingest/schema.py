"""The import contract (shared/spec/import-format.md) as data: sheets, columns, rules.

The reader, the validator, the writer, the template and the export all take their sheet
and column names from here, so they cannot disagree with each other.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

import sqlalchemy as sa

from lib import enums
from lib.metric_defs import BY_KEY, TARGET_METRIC_KEYS
from lib.models import (
    Agency,
    Case,
    Disbursement,
    Donation,
    Neighbourhood,
    OutreachVisit,
    Referral,
    SelfSufficiencyParticipant,
    Service,
    Target,
)
from lib.regions import DISTRICT, PROVINCE

# code: text id or reference (leading zeros kept) · text: free text · date · int: whole
# number · number: any number · enum: one of `enum` (Korean or English) · yn: Y/N flag
Kind = Literal["code", "text", "date", "int", "number", "enum", "yn"]
Minimum = Literal["nonneg", "positive"]


@dataclass(frozen=True)
class Field:
    """One column of a sheet: its English and Korean header, type and value rules."""

    name: str  # the English header, also the model's column name
    ko: str
    kind: Kind
    required: bool = False
    enum: Mapping[str, str] | None = None
    minimum: Minimum | None = None
    references: str | None = None  # the sheet whose key this column refers to
    # Other words accepted for a value (Korean → stored): the target metric's Korean name
    aliases: Mapping[str, str] | None = None
    # The region level whose name this column gives (lib.regions PROVINCE or DISTRICT): rows
    # of one region must agree on it, in the workbook and with the database.
    region: str | None = None
    # A workbook without this column leaves the stored values as they are, without a warning
    # (a city's own extracts have no 시도명; they must not erase the names a province gave).
    kept_when_absent: bool = False

    def label(self, lang: str) -> str:
        return self.ko if lang == "ko" else self.name


@dataclass(frozen=True)
class SheetSpec:
    """One sheet of the workbook and the table it fills."""

    name: str  # the English sheet name (also the csv file name)
    ko: str
    table: sa.Table
    fields: tuple[Field, ...]
    key: tuple[str, ...]  # the columns that identify a row
    optional: bool = False

    def label(self, lang: str) -> str:
        return self.ko if lang == "ko" else self.name

    def field(self, name: str) -> Field:
        """The field called `name` (English)."""
        return next(f for f in self.fields if f.name == name)

    @property
    def field_names(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.fields)


# A target's metric may be written as its Korean name (모금액, what the template offers)
# or as its key (donations_krw, what is stored).
TARGET_METRIC_NAMES: dict[str, str] = {BY_KEY[k].label("ko"): k for k in TARGET_METRIC_KEYS}


def _f(name: str, ko: str, kind: Kind, required: bool = False, **rules) -> Field:
    return Field(name, ko, kind, required, **rules)


NEIGHBOURHOODS = SheetSpec(
    "neighbourhoods",
    "읍면동",
    Neighbourhood.__table__,
    (
        _f("code", "행정동코드", "code", True),
        _f("name", "읍면동명", "text", True),
        _f("kind", "구분", "enum", True, enum=enums.NEIGHBOURHOOD_KIND),
        _f("households", "세대수", "int", True, minimum="nonneg"),
        _f("population", "인구수", "int", minimum="nonneg"),
        _f("province_name", "시도명", "text", region=PROVINCE, kept_when_absent=True),
        _f("district_name", "시군구명", "text", region=DISTRICT, kept_when_absent=True),
    ),
    ("code",),
)
AGENCIES = SheetSpec(
    "agencies",
    "협업기관",
    Agency.__table__,
    (
        _f("code", "기관코드", "code", True),
        _f("name", "기관명", "text", True),
        _f("sector", "부문", "enum", True, enum=enums.SECTOR),
        _f("kind", "기관유형", "enum", True, enum=enums.AGENCY_KIND),
        _f("neighbourhood_code", "소재읍면동코드", "code", references="neighbourhoods"),
    ),
    ("code",),
)
CASES = SheetSpec(
    "cases",
    "사례",
    Case.__table__,
    (
        _f("case_id", "사례번호", "code", True),
        _f("neighbourhood_code", "읍면동코드", "code", True, references="neighbourhoods"),
        _f("discovered_on", "발굴일", "date", True),
        _f("channel", "발굴경로", "enum", True, enum=enums.CHANNEL),
        _f("risk_level", "위기도", "enum", True, enum=enums.RISK_LEVEL),
        _f("household_type", "가구유형", "enum", True, enum=enums.HOUSEHOLD_TYPE),
        _f("isolated", "사회적고립", "yn"),
        _f("lead_agency_code", "주관기관코드", "code", references="agencies"),
        _f("opened_on", "사례관리시작일", "date"),
        _f("plan_on", "계획수립일", "date"),
        _f("closed_on", "종결일", "date"),
        _f("close_reason", "종결사유", "enum", enum=enums.CLOSE_REASON),
    ),
    ("case_id",),
)
SERVICES = SheetSpec(
    "services",
    "서비스제공",
    Service.__table__,
    (
        _f("service_id", "서비스번호", "code", True),
        _f("case_id", "사례번호", "code", True, references="cases"),
        _f("agency_code", "제공기관코드", "code", True, references="agencies"),
        _f("provided_on", "제공일", "date", True),
        _f("category", "서비스유형", "enum", True, enum=enums.SERVICE_CATEGORY),
        _f("amount_krw", "금액", "int", minimum="nonneg"),
    ),
    ("service_id",),
)
DONATIONS = SheetSpec(
    "donations",
    "후원",
    Donation.__table__,
    (
        _f("donation_id", "후원번호", "code", True),
        _f("neighbourhood_code", "읍면동코드", "code", references="neighbourhoods"),
        _f("received_on", "접수일", "date", True),
        _f("donor_type", "후원자유형", "enum", True, enum=enums.DONOR_TYPE),
        _f("donor_id", "후원자번호", "code"),
        _f("form", "후원형태", "enum", True, enum=enums.DONATION_FORM),
        _f("amount_krw", "금액", "int", True, minimum="positive"),
    ),
    ("donation_id",),
)
DISBURSEMENTS = SheetSpec(
    "disbursements",
    "후원금지원",
    Disbursement.__table__,
    (
        _f("disbursement_id", "지원번호", "code", True),
        _f("case_id", "사례번호", "code", True, references="cases"),
        _f("paid_on", "지원일", "date", True),
        _f("purpose", "지원용도", "enum", True, enum=enums.DISBURSEMENT_PURPOSE),
        _f("amount_krw", "금액", "int", True, minimum="positive"),
    ),
    ("disbursement_id",),
)
REFERRALS = SheetSpec(
    "referrals",
    "사례공유",
    Referral.__table__,
    (
        _f("referral_id", "의뢰번호", "code", True),
        _f("case_id", "사례번호", "code", True, references="cases"),
        _f("from_agency_code", "의뢰기관코드", "code", True, references="agencies"),
        _f("to_agency_code", "수신기관코드", "code", True, references="agencies"),
        _f("requested_on", "의뢰일", "date", True),
        _f("status", "상태", "enum", True, enum=enums.REFERRAL_STATUS),
        _f("responded_on", "응답일", "date"),
        _f("closed_on", "종료일", "date"),
        _f("reason", "사유", "enum", enum=enums.REFERRAL_REASON),
    ),
    ("referral_id",),
)
OUTREACH = SheetSpec(
    "outreach",
    "찾아가는방문",
    OutreachVisit.__table__,
    (
        _f("visit_id", "방문번호", "code", True),
        _f("neighbourhood_code", "읍면동코드", "code", True, references="neighbourhoods"),
        _f("visited_on", "방문일", "date", True),
        _f("households_visited", "방문세대수", "int", True, minimum="nonneg"),
        _f("households_found", "발굴세대수", "int", True, minimum="nonneg"),
    ),
    ("visit_id",),
    optional=True,
)
SELF_SUFFICIENCY = SheetSpec(
    "self_sufficiency",
    "자활참여",
    SelfSufficiencyParticipant.__table__,
    (
        _f("participant_id", "참여자번호", "code", True),
        _f("neighbourhood_code", "읍면동코드", "code", True, references="neighbourhoods"),
        _f("programme", "사업단명", "text", True),
        _f("programme_kind", "사업유형", "enum", True, enum=enums.PROGRAMME_KIND),
        _f("started_on", "참여시작일", "date", True),
        _f("ended_on", "참여종료일", "date"),
        _f("outcome", "종료사유", "enum", enum=enums.SS_OUTCOME),
    ),
    ("participant_id",),
    optional=True,
)
TARGETS = SheetSpec(
    "targets",
    "목표",
    Target.__table__,
    (
        _f("year", "연도", "int", True),
        _f("neighbourhood_code", "읍면동코드", "code", references="neighbourhoods"),
        _f("metric", "지표", "code", True, aliases=TARGET_METRIC_NAMES),
        _f("value", "목표값", "number", True, minimum="positive"),
    ),
    ("year", "neighbourhood_code", "metric"),
    optional=True,
)

# Contract order, which is also dependency order (parents first).
SHEETS: tuple[SheetSpec, ...] = (
    NEIGHBOURHOODS,
    AGENCIES,
    CASES,
    SERVICES,
    DONATIONS,
    DISBURSEMENTS,
    REFERRALS,
    OUTREACH,
    SELF_SUFFICIENCY,
    TARGETS,
)
SHEET_BY_NAME: dict[str, SheetSpec] = {s.name: s for s in SHEETS}

# Sheets the template and the export add for people; the importer skips them silently.
INFO_SHEETS = ("안내", "instructions", "정보", "info")

# The contract's "(필수)"; "(required)" too, which the English template writes.
_REQUIRED_MARK = re.compile(r"\s*[(（]\s*(필수|required)\s*[)）]\s*$", re.IGNORECASE)


def normalize(header: object) -> str:
    """A header or sheet name as matched: trimmed, case-folded, without a trailing (필수)."""
    text = _REQUIRED_MARK.sub("", str(header).strip())
    return text.strip().casefold()


_SHEET_NAMES: dict[str, SheetSpec] = {normalize(n): s for s in SHEETS for n in (s.name, s.ko)}


def match_sheet(title: str) -> SheetSpec | None:
    """The sheet of the contract called `title` (Korean or English), if any."""
    return _SHEET_NAMES.get(normalize(title))


def match_field(spec: SheetSpec, header: object) -> Field | None:
    """The field of `spec` whose Korean or English header is `header`, if any."""
    key = normalize(header)
    for f in spec.fields:
        if key in (f.name.casefold(), f.ko.casefold()):
            return f
    return None


def header_text(f: Field, lang: str = "ko") -> str:
    """The header the template and the export write: required ones marked (필수)."""
    mark = " (필수)" if lang == "ko" else " (required)"
    return f.label(lang) + mark if f.required else f.label(lang)
