"""지표 정의 · Metric definitions: every metric's one definition, as in metrics.md."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from lib import exports, ui
from lib.formatting import metric_unit
from lib.i18n import t
from lib.metric_defs import AREAS, metrics_in


def definitions_frame(area: str, lang: str) -> pd.DataFrame:
    """The metrics of one area: label (index), definition, unit; in English also the key.

    The key (`donations_krw`) is what the CLI and exports call a metric; Korean readers
    get the Korean names only (the key is a developer's word)."""
    rows = []
    for m in metrics_in(area):
        row = {
            t("definitions.label", lang): m.label(lang),
            t("definitions.definition", lang): m.definition(lang),
            t("definitions.unit", lang): t(f"unit.{metric_unit(m.key)}", lang),
        }
        if lang == "en":
            row[t("definitions.key", lang)] = m.key
        rows.append(row)
    return pd.DataFrame(rows).set_index(t("definitions.label", lang))


def render() -> None:
    """Draw the definitions page."""
    filters = ui.current_filters()
    lang = filters.lang
    st.title(t("definitions.title", lang))
    st.markdown(t("definitions.intro", lang))
    ui.section_links(
        [(f"def-{a}", ko if lang == "ko" else en) for a, (ko, en) in AREAS.items()], lang
    )
    for area, (ko, en) in AREAS.items():
        title = ko if lang == "ko" else en
        st.subheader(title, anchor=f"def-{area}")
        frame = definitions_frame(area, lang)
        st.table(frame)
        stem = exports.file_stem([t("download.app", lang), t("definitions.title", lang), title])
        ui.downloads(stem, f"definitions_{area}", data=frame.reset_index())
