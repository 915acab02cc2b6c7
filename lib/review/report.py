"""One report file from the database: the review built, rendered and audited.

The CLI (`lib/review/command.py`) and the app (`views/report.py`, `lib.ui.report_button`)
both call `make_report`, so a report made in either place holds the same numbers. No
Streamlit here: the app's deferred download runs it outside any script run.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.engine import Engine

from lib import access
from lib.i18n import t
from lib.period import Period
from lib.review import render
from lib.scope import Scope

FORMATS = ("pdf", "pptx")
MIME = {
    "pdf": "application/pdf",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
}


@dataclass(frozen=True)
class ReportRequest:
    """What to report on, for whom, and as what: everything but the database."""

    kind: str  # "city", "province", "district", "neighbourhood" or "agency"
    code: str | None  # the region's, neighbourhood's or agency's code; None for the city
    period: Period
    compare: str  # "prev" or "yoy"
    scope: Scope  # the viewer's: a partner's numbers come suppressed
    lang: str
    made_by: str  # who asked for it, in words
    response_limit_days: int
    city_name: str
    fmt: str  # "pdf" or "pptx"


def scope_name(kind: str, name: str | None, city_name: str, lang: str) -> str:
    """The scope as the review names it (`build_review`): "테스트시 전체", "온양1동"."""
    if kind == "city":
        return t("review.city_scope", lang, city=city_name)
    return name or ""


def file_name(kind: str, name: str | None, city_name: str, period: Period, lang: str, fmt: str):
    """The download's name before the review exists: "잇다_보고서_중앙동_2025-H1.pdf"."""
    return render.name_file(lang, scope_name(kind, name, city_name, lang), period, fmt)


def audit_scope(kind: str, code: str | None) -> str:
    """The audit log's scope of a report: `city`, `region:CODE`, `nb:CODE` or `agency:CODE`."""
    if kind == "city":
        return "city"
    if kind in ("province", "district"):
        return f"region:{code}"
    return f"{'agency' if kind == 'agency' else 'nb'}:{code}"


def make_report(
    engine: Engine,
    request: ReportRequest,
    *,
    actor: str,
    role: str,
    link_id: str | None = None,
    page: str | None = None,
    audit: bool = True,
) -> bytes:
    """Build the review, render it as `request.fmt`, audit it (`report`); the file's bytes.

    `audit=False` leaves the audit to the caller (the CLI audits once the file is written).
    An unknown code, a code outside the scope or a bad comparison raises `UserError`.
    """
    from lib.review.build import build_review

    made_at = access.now_utc().astimezone(access.KST)
    with engine.connect() as conn:
        review = build_review(
            conn,
            kind=request.kind,
            code=request.code,
            period=request.period,
            compare=request.compare,
            scope=request.scope,
            lang=request.lang,
            made_by=request.made_by,
            made_at=made_at,
            response_limit_days=request.response_limit_days,
            city_name=request.city_name,
        )
    data = render_review(review, request.fmt)
    if audit:
        audit_report(engine, request, actor=actor, role=role, link_id=link_id, page=page)
    return data


def audit_report(
    engine: Engine,
    request: ReportRequest,
    *,
    actor: str,
    role: str,
    link_id: str | None = None,
    page: str | None = None,
) -> None:
    """One `report` event: who, which scope, and format, period and comparison."""
    access.audit_now(
        engine,
        actor=actor,
        role=role,
        action="report",
        link_id=link_id,
        page=page,
        scope=audit_scope(request.kind, request.code),
        detail=f"{request.fmt} {request.period.key} {request.compare}",
    )


def render_review(review, fmt: str) -> bytes:
    """The review as `fmt` ("pdf" or "pptx")."""
    if fmt == "pdf":
        from lib.review.pdf import review_pdf

        return review_pdf(review)
    from lib.review.deck import review_pptx

    return review_pptx(review)
