"""The app's own static files (static/, served at app/static/): the Pretendard GOV fonts the
theme declares and the tab icon. Closed networks (망분리) give the browser nothing but the app,
so every font the theme names must be a file of the repository, small and licensed."""

from __future__ import annotations

import re
import tomllib

from lib.charts import theme
from tests.server import PROJECT_ROOT

STATIC = PROJECT_ROOT / "static"
CONFIG = tomllib.loads((PROJECT_ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))


def _first_family(stack: str) -> str:
    return stack.split(",")[0].strip().strip("'\"")


def test_static_serving_is_on() -> None:
    assert CONFIG["server"]["enableStaticServing"] is True


def test_every_font_face_is_a_small_woff2_of_the_app() -> None:
    faces = CONFIG["theme"]["fontFaces"]
    assert {face["weight"] for face in faces} >= {400, 600, 700}
    for face in faces:
        assert face["family"] == theme.FONT_FAMILY == "Pretendard GOV"
        assert face["url"].startswith("app/static/fonts/"), face
        path = STATIC / face["url"].removeprefix("app/static/")
        assert path.is_file(), path
        data = path.read_bytes()
        assert data[:4] == b"wOF2" and len(data) < 1_000_000, (path, len(data))


def test_the_theme_and_the_charts_use_pretendard_gov_first() -> None:
    for key in ("font", "headingFont"):
        stack = CONFIG["theme"][key]
        assert _first_family(stack) == theme.FONT_FAMILY, stack
        assert "://" not in stack  # no "<font>:<url>" form, which loads CSS from elsewhere
        # The fallback for glyphs outside the subset and for server-side rendering.
        assert "Noto Sans CJK KR" in stack
    assert _first_family(theme.FONT) == theme.FONT_FAMILY
    assert "Noto Sans CJK KR" in theme.FONT


def test_the_font_licence_is_shipped() -> None:
    licence = (STATIC / "fonts" / "LICENSE.txt").read_text(encoding="utf-8")
    assert "SIL OPEN FONT LICENSE Version 1.1" in licence
    assert "Kil Hyung-jin" in licence


def test_the_tab_icon_is_a_self_contained_svg() -> None:
    svg = (STATIC / "itda-icon.svg").read_text(encoding="utf-8")
    assert svg.lstrip().startswith("<svg")
    # Nothing in it points elsewhere (an image, a font, a stylesheet).
    assert not re.search(r"(href|src)\s*=|@import|url\(", svg)
    source = (PROJECT_ROOT / "dashboard.py").read_text(encoding="utf-8")
    assert "page_icon=_TAB_ICON" in source and '"static" / "itda-icon.svg"' in source
