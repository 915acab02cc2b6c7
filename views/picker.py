"""지역 찾기 · Find a region: the picker at full width, and the top's regions as links.

A page of region deployments only (a province or the nation, dashboard.py): the menu lists
levels, not the 3,500 neighbourhoods, so this page is the way into them. The picker itself
(`ui.region_picker`) sits in the sidebar of every other page.
"""

from __future__ import annotations

from collections.abc import Mapping
from html import escape

import streamlit as st

from lib import ui
from lib.i18n import t


def render(pages: Mapping[str, object]) -> None:
    """Draw the picker page (`pages`: the search results' pages, registered by dashboard.py)."""
    lang = ui.current_lang()
    tree = ui.region_tree(lang=lang)
    st.title(t("picker.page.title", lang))
    st.markdown(t("picker.page.intro", lang))
    ui.region_picker(tree, None, lang, pages, where=st.container(), heading=False)
    children = tree.children_of(tree.top.code)
    if not children:
        return
    level = children[0].level
    st.subheader(t(f"picker.list.{level}", lang, top=tree.top.name), anchor="regions")
    names = ui.unique_names(tree, [c.code for c in children])
    items = []
    for region in children:
        href = ui.page_href(ui.region_page_path(region, tree))
        count = len(tree.children_of(region.code))
        # A province counts its districts, a district its neighbourhoods.
        below = t(f"picker.count.{region.level}", lang, n=count) if count else ""
        items.append(
            f'<li><a href="{escape(href)}" target="_self">{escape(names[region.code])}</a>'
            f' <span class="itda-region-count">{escape(below)}</span></li>'
        )
    st.html(f'<ul class="itda-region-list">{"".join(items)}</ul>')
