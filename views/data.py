"""데이터 가져오기 · Data import: upload a workbook, preview or see every problem, then write.

The page runs the same importer as the CLI: a dry run first (progress bar, then the preview
or the full problem list with its report file), and only on an explicit confirmation the
real import. Replace mode needs a second confirmation. The template and the export are
download buttons; the import log is at the bottom.
"""

from __future__ import annotations

import datetime as dt
import hashlib

import pandas as pd
import streamlit as st

from lib import access, exports, session, ui
from lib.boundaries import BoundaryResult, import_boundaries
from lib.boundaries import summary_line as boundaries_summary
from lib.i18n import t
from lib.ingest.export import export_bytes
from lib.ingest.importer import ImportResult, import_bytes, recent_imports
from lib.ingest.report import (
    counts_frame,
    problem_report_bytes,
    problems_frame,
    replace_notice,
    summary_line,
)
from lib.ingest.template import template_bytes
from lib.queries.boundaries import boundary_count

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_PREVIEW, _DONE, _UPLOADS = "_data_preview", "_data_done", "_data_uploads"
_B_PREVIEW, _B_DONE, _B_UPLOADS = "_data_b_preview", "_data_b_done", "_data_b_uploads"


def _thousands(frame: pd.DataFrame) -> dict:
    """Number columns shown with thousands separators (5,645 rather than 5645)."""
    return {
        c: st.column_config.NumberColumn(format="localized")
        for c in frame.columns
        if pd.api.types.is_numeric_dtype(frame[c])
    }


def _run(name: str, data: bytes, *, replace: bool, dry_run: bool, lang: str) -> ImportResult:
    """Run the importer with a progress bar that disappears when it is done."""
    bar = st.progress(0.0, text=t("data.step.validate", lang))

    def progress(fraction: float, step: str) -> None:
        bar.progress(min(max(fraction, 0.0), 1.0), text=t(f"data.step.{step}", lang))

    result = import_bytes(
        ui.get_writer_engine(),  # no statement timeout: a large workbook takes its time
        name,
        data,
        replace=replace,
        dry_run=dry_run,
        user=session.current_viewer().actor,
        role=session.current_viewer().role,
        progress=progress,
        warm=True,
    )
    bar.empty()
    return result


# Column widths of the problem list (px, in the order of PROBLEM_COLUMNS), summing to the
# main column at 1440 px with the sidebar open; the grid stretches them to any wider width.
# The reason gets the rest and wraps: rows taller than 4rem let the grid wrap text.
_PROBLEM_WIDTHS = (56, 96, 56, 120, 120, 400, 120)
_PROBLEM_ROW_HEIGHT = 72  # three lines of text


def _problem_table(frame: pd.DataFrame) -> None:
    """Problems with every reason whole: fixed widths, wrapped text, no sideways scroll."""
    config = {
        name: st.column_config.Column(width=width)
        for name, width in zip(frame.columns, _PROBLEM_WIDTHS, strict=False)
    }
    st.dataframe(
        frame,
        column_config=config,
        hide_index=True,
        width="stretch",
        row_height=_PROBLEM_ROW_HEIGHT,
    )


def _show_problems(result: ImportResult, lang: str) -> None:
    """The full problem list and its report file (errors first, then warnings)."""
    if result.errors:
        st.subheader(t("data.problems", lang))
        _problem_table(problems_frame(result.errors, lang))
    if result.warnings:
        with st.expander(f"{t('data.warnings', lang)} · {len(result.warnings):,}"):
            _problem_table(problems_frame(result.warnings, lang))
    if result.problems:
        st.download_button(
            t("data.report", lang),
            problem_report_bytes(result.problems, lang),
            file_name="import-problems.xlsx" if lang == "en" else "가져오기-문제.xlsx",
            mime=XLSX_MIME,
            on_click="ignore",
            icon=":material/download:",
            key="data_report",
        )


def _import_tab(lang: str) -> None:
    # A new key after each import empties the uploader, so the written file is not offered again.
    upload = ui.file_uploader(
        t("data.upload", lang),
        ["xlsx", "zip", "csv"],
        "data-upload-box",
        lang,
        help=t("data.upload.help", lang),
        key=f"data_upload_{st.session_state.get(_UPLOADS, 0)}",
    )
    mode = st.radio(
        t("data.mode", lang),
        ["upsert", "replace"],
        format_func=lambda m: t(f"data.mode.{m}", lang),
        key="data_mode",
    )
    replace = mode == "replace"
    confirmed = not replace or st.checkbox(t("data.replace.confirm", lang), key="data_confirm")
    done: ImportResult | None = st.session_state.get(_DONE)
    if done is not None:
        (st.success if done.ok else st.error)(summary_line(done, lang))
    if upload is None:
        return
    data = upload.getvalue()
    key = (hashlib.sha256(data).hexdigest(), mode)
    preview = st.session_state.get(_PREVIEW)
    if preview is None or preview[0] != key:
        st.session_state.pop(_DONE, None)
        preview = (key, _run(upload.name, data, replace=replace, dry_run=True, lang=lang))
        st.session_state[_PREVIEW] = preview
    result: ImportResult = preview[1]
    if not result.ok:
        st.error(summary_line(result, lang), icon=":material/block:")
        _show_problems(result, lang)
        return
    st.subheader(t("data.preview", lang))
    st.caption(t("data.preview.caption", lang))
    if replace:
        st.warning(replace_notice(result, lang), icon=":material/warning:")
    counts = counts_frame(result.counts, lang)
    st.dataframe(counts, hide_index=True, width="content", column_config=_thousands(counts))
    st.info(summary_line(result, lang))
    _show_problems(result, lang)
    if not confirmed:
        st.caption(t("data.write.needs_confirm", lang))
    if st.button(
        t("data.write", lang),
        type="primary",
        disabled=not confirmed,
        icon=":material/upload:",
        key="data_write",
    ):
        written = _run(upload.name, data, replace=replace, dry_run=False, lang=lang)
        st.session_state[_DONE] = written
        st.session_state.pop(_PREVIEW, None)
        if written.ok:
            st.session_state[_UPLOADS] = st.session_state.get(_UPLOADS, 0) + 1
            ui.clear_caches()  # every page shows the new data on its next run
        st.rerun()


def _import_boundaries(name: str, data: bytes, *, dry_run: bool) -> BoundaryResult:
    viewer = session.current_viewer()
    with st.spinner():
        return import_boundaries(
            ui.get_writer_engine(), name, data, dry_run=dry_run, user=viewer.actor, role=viewer.role
        )


def _boundaries_tab(lang: str) -> None:
    """Upload a 행정동 GeoJSON, see what it would do (a dry run), then save it."""
    st.caption(t("data.boundaries.intro", lang))
    with ui.get_engine().connect() as conn:
        stored = boundary_count(conn)
    st.markdown(t("data.boundaries.current", lang, n=stored))
    upload = ui.file_uploader(
        t("data.boundaries.upload", lang),
        ["geojson", "json"],
        "data-boundaries-box",
        lang,
        help=t("data.boundaries.upload.help", lang),
        key=f"data_boundaries_upload_{st.session_state.get(_B_UPLOADS, 0)}",
    )
    done: BoundaryResult | None = st.session_state.get(_B_DONE)
    if done is not None:
        (st.success if done.ok else st.error)(boundaries_summary(done, lang))
    if upload is None:
        return
    data = upload.getvalue()
    key = hashlib.sha256(data).hexdigest()
    preview = st.session_state.get(_B_PREVIEW)
    if preview is None or preview[0] != key:
        st.session_state.pop(_B_DONE, None)
        preview = (key, _import_boundaries(upload.name, data, dry_run=True))
        st.session_state[_B_PREVIEW] = preview
    result: BoundaryResult = preview[1]
    if not result.ok:
        st.error(boundaries_summary(result, lang), icon=":material/block:")
        return
    st.subheader(t("data.preview", lang))
    st.info(boundaries_summary(result, lang))
    if result.missing:
        st.markdown(f"**{t('data.boundaries.missing', lang)}**")
        st.dataframe(
            pd.DataFrame(result.missing, columns=["code", "name"]),
            column_config={
                "code": st.column_config.TextColumn(t("data.boundaries.code", lang)),
                "name": st.column_config.TextColumn(t("column.neighbourhood", lang)),
            },
            hide_index=True,
            width="content",
        )
    if st.button(
        t("data.boundaries.write", lang),
        type="primary",
        icon=":material/map:",
        key="data_boundaries_write",
    ):
        written = _import_boundaries(upload.name, data, dry_run=False)
        st.session_state[_B_DONE] = written
        st.session_state.pop(_B_PREVIEW, None)
        if written.ok:
            st.session_state[_B_UPLOADS] = st.session_state.get(_B_UPLOADS, 0) + 1
            ui.clear_caches()  # the maps show the new shapes on their next run
        st.rerun()


def _files_tab(lang: str) -> None:
    st.download_button(
        t("data.template", lang),
        lambda: template_bytes(lang),  # built only when clicked
        file_name="itda-import-template.xlsx" if lang == "en" else "잇다-가져오기-양식.xlsx",
        mime=XLSX_MIME,
        on_click="ignore",
        icon=":material/description:",
        help=t("data.template.help", lang),
        key="data_template",
    )

    def export() -> bytes:
        viewer = session.current_viewer()
        with ui.get_engine().connect() as conn:
            data = export_bytes(conn)
        access.audit_now(ui.get_engine(), actor=viewer.actor, role=viewer.role, action="export")
        return data

    st.download_button(
        t("data.export", lang),
        export,
        file_name=export_file_name(lang, access.now_utc()),
        mime=XLSX_MIME,
        on_click="ignore",
        icon=":material/download:",
        help=t("data.export.help", lang),
        key="data_export",
    )


def export_file_name(lang: str, now: dt.datetime) -> str:
    """The export's file name with the day in KST: `잇다_내보내기_2026-10-31.xlsx`."""
    return t("data.export.file", lang, day=now.astimezone(access.KST).date().isoformat())


def _utc(stamp: dt.datetime) -> dt.datetime:
    """A stored time in UTC (SQLite returns it naive, already in UTC)."""
    return stamp.astimezone(dt.UTC) if stamp.tzinfo is not None else stamp


def log_frame(lang: str) -> pd.DataFrame:
    """The import log, newest first, with headers and values in `lang`."""
    with ui.get_engine().connect() as conn:
        rows = recent_imports(conn)
    columns = ["when", "who", "file", "mode", "outcome", "problems", "rows", "hash"]
    frame = pd.DataFrame(
        [
            (
                access.format_kst(_utc(r.imported_at), seconds=True),
                ui.actor_name(r.imported_by, lang),
                r.file_name,
                t(f"data.mode.short.{r.mode}", lang),
                t(f"data.outcome.{r.outcome}", lang),
                r.problem_count,
                r.rows,
                r.content_hash[:12],
            )
            for r in rows
        ],
        columns=columns,
    )
    return frame.rename(columns={c: t(f"data.log.{c}", lang) for c in columns})


def _log_tab(lang: str) -> None:
    frame = log_frame(lang)
    if frame.empty:
        st.caption(t("data.log.empty", lang))
    else:
        ui.table(
            frame,
            key="import_log",
            name=exports.file_stem([t("download.app", lang), t("data.tab.log", lang)]),
            hide_index=True,
            width="stretch",
            column_config=_thousands(frame),
        )


def render() -> None:
    """Draw the data import page (admins only)."""
    lang = ui.current_filters().lang
    if not session.current_viewer().may(access.DATA):  # the navigation never offers it
        st.error(t("denied.admin_only.title", lang))
        return
    st.title(t("data.title", lang))
    st.caption(t("data.intro", lang))
    tab_import, tab_boundaries, tab_files, tab_log = st.tabs(
        [
            t("data.tab.import", lang),
            t("data.tab.boundaries", lang),
            t("data.tab.files", lang),
            t("data.tab.log", lang),
        ],
        key="data_tab",
        on_change="rerun",  # so that `.open` says which tab is shown
    )
    # The two upload tabs are drawn only when open: one file uploader on the page at a time.
    with tab_import:
        if tab_import.open:
            _import_tab(lang)
    with tab_boundaries:
        if tab_boundaries.open:
            _boundaries_tab(lang)
    with tab_files:
        _files_tab(lang)
    with tab_log:
        _log_tab(lang)
