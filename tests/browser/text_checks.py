"""Is a page Korean throughout? The English words a person can see on a page, for tests.

    from tests.browser.text_checks import assert_no_english
    open_view(page, base_url, "/", period="2024")
    assert_no_english(page)                       # fails listing the English words found
    assert_no_english(page, allowed={"AG03"})     # plus words this page may show

`visible_text(page)` is what a person reads: the tab title, every rendered text node of the
body (like `document.body.innerText`, but without Material icon ligatures such as
`keyboard_arrow_right`, which show as icons, and without text that is not rendered), the
words CSS puts on screen in place of Streamlit's own (`content:` of ::before/::after, e.g.
the file uploader's "파일 선택"), and the values and placeholders of inputs (a select box
shows its choice in an input). `english_words(text)` takes out what may stay Latin
(`ALLOWED`, in any case, also after a number: "50MB": the product name, the KO/EN switch, file formats such as
".xlsx", units, KST) and returns the remaining Latin words. Tables drawn by `st.dataframe` are canvases: their cells are not
text and are not checked here (their headers and values come from i18n and lib code).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from playwright.sync_api import Page

# Latin words Korean pages may show: the product's name, the language switch (and its
# bilingual label "언어 · Language"), file formats, units, the time zone, common
# abbreviations and the Y/N flag of the import format.
ALLOWED: frozenset[str] = frozenset(
    {
        "Itda",
        "KO",
        "EN",
        "Language",
        "CSV",
        "XLSX",
        "ZIP",
        "GeoJSON",
        "JSON",
        "PDF",
        "PNG",
        "SVG",
        "KB",
        "MB",
        "GB",
        "KST",
        "ID",
        "p",  # percentage points: +3.5%p
        "Y",
        "N",
    }
)

# A word with at least one Latin letter (digits may be part of it: "50MB", "H1", an id).
_WORD = re.compile(r"[A-Za-z0-9_'-]*[A-Za-z][A-Za-z0-9_'-]*")
# Record numbers and codes people know from their own data (C44200250-00331, 44200A06):
# capitals and at least three digits. Not a period key (2024-H1), which is a URL's word.
_CODE = re.compile(r"^(?=(?:[^0-9]*[0-9]){3})[A-Z0-9][A-Z0-9-]*$")
_PERIOD_KEY = re.compile(r"^\d{4}-[HQ]\d$")
# A share link's id (lib.access: 8 random bytes in hex), shown to tell links apart.
_LINK_ID = re.compile(r"^[0-9a-f]{16}$")

_VISIBLE_TEXT_JS = r"""
() => {
  const skip = "[data-testid=stIconMaterial], [translate=no], script, style, noscript, template";
  const shown = (el, pseudo = false) => {
    if (!el || el.closest(skip)) return false;
    const style = getComputedStyle(el);
    if (style.display === "none" || style.visibility === "hidden") return false;
    // text at font size 0 is replaced by CSS content: (its ::before/::after are shown)
    if (!pseudo && parseFloat(style.fontSize) === 0) return false;
    // Visually hidden (1px, clipped): screen-reader-only text such as "76 options available".
    const box = el.getBoundingClientRect();
    if (!pseudo && (box.width <= 1 || box.height <= 1)) return false;
    return el.getClientRects().length > 0;
  };
  const out = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode;
    if (node.textContent.trim() && shown(node.parentElement)) out.push(node.textContent);
  }
  for (const el of document.body.querySelectorAll("*")) {
    if (!shown(el, true)) continue;
    for (const pseudo of ["::before", "::after"]) {
      const content = getComputedStyle(el, pseudo).content;
      if (content && content.startsWith('"')) out.push(content.slice(1, -1));
    }
  }
  // st.dataframe draws on a canvas; its accessible table (visually hidden) holds the
  // headers and the cells of the rows on screen.
  for (const grid of document.body.querySelectorAll("[data-testid=stDataFrame]")) {
    if (grid.getClientRects().length === 0) continue;
    for (const cell of grid.querySelectorAll("th, td")) {
      // a link cell holds its URL; the grid shows its display text (after "#" in Itda's links)
      const text = cell.textContent;
      const link = /^(\.\/|https?:)/.test(text);
      out.push(link ? (text.includes("#") ? text.slice(text.indexOf("#") + 1) : "") : text);
    }
  }
  const valueless = ["hidden", "file", "checkbox", "radio"];
  for (const input of document.body.querySelectorAll("input, textarea")) {
    if (valueless.includes(input.type) || !shown(input)) continue;
    out.push(input.value || input.placeholder || "");  // the placeholder shows when empty
  }
  return out.join("\n");
}
"""


def visible_text(page: Page) -> str:
    """The tab title and the text a person can see on the page (see the module's doc).

    Visually hidden text (1 px wide or high, clipped: Streamlit's and its widgets' screen-reader-only
    messages, "76 options available.") is not seen and not returned."""
    return page.title() + "\n" + page.evaluate(_VISIBLE_TEXT_JS)


def english_words(text: str, allowed: Iterable[str] = ()) -> list[str]:
    """The Latin words of `text` other than `ALLOWED` and `allowed`, sorted, once each."""
    ok = {w.casefold() for w in (*ALLOWED, *allowed)}

    def allowed_word(word: str) -> bool:
        bare = word.strip("'_-")
        unit = bare.lstrip("0123456789").strip("'_-")  # 50MB → MB
        if (_CODE.match(bare) and not _PERIOD_KEY.match(bare)) or _LINK_ID.match(bare):
            return True
        return bare.casefold() in ok or unit.casefold() in ok

    return sorted({w for w in _WORD.findall(text) if not allowed_word(w)})


def assert_no_english(page: Page, allowed: Iterable[str] = ()) -> None:
    """Fail, listing them with their lines, when the page shows English words."""
    text = visible_text(page)
    found = english_words(text, allowed)
    if found:
        lines = [line.strip() for line in text.splitlines() if english_words(line, allowed)]
        raise AssertionError(
            f"English on {page.url}: {', '.join(found)}\n  " + "\n  ".join(lines[:30])
        )


# 테스트시's record numbers (cases C01…, referrals R01…), shown as they are in the data.
RECORD_NUMBERS = {f"{kind}{n:02d}" for kind in "CR" for n in range(1, 100)}
