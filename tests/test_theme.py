"""The design tokens: readable text colours, and one set of data colours for Streamlit and
Altair (.streamlit/config.toml [theme] and lib/charts/theme.py).

The contrast ratio is WCAG 2.1's, worked out here from the sRGB values; the browser test
(tests/browser/test_layout.py) measures what the pages actually draw.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from lib.charts import theme

CONFIG = Path(__file__).resolve().parent.parent / ".streamlit" / "config.toml"
THEME = tomllib.loads(CONFIG.read_text(encoding="utf-8"))["theme"]
# Every colour Streamlit draws text in (links, the system colours' text tones).
TEXT_KEYS = [key for key in THEME if key == "textColor" or key.endswith(("TextColor", "linkColor"))]


def _luminance(hex_colour: str) -> float:
    """WCAG 2.1 relative luminance of #rrggbb."""
    channels = [int(hex_colour.lstrip("#")[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_contrast_formula_on_known_pairs():
    assert contrast("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast("#ffffff", "#ffffff") == pytest.approx(1.0)
    # #767676 on white is the well-known lightest grey that passes AA: 4.54:1.
    assert contrast("#767676", "#ffffff") == pytest.approx(4.54, abs=0.01)


def test_the_theme_names_its_text_colours():
    assert {"textColor", "linkColor", "redTextColor", "greenTextColor"} <= set(TEXT_KEYS)


@pytest.mark.parametrize("key", TEXT_KEYS)
@pytest.mark.parametrize("background", ["backgroundColor", "secondaryBackgroundColor"])
def test_text_colours_are_readable_on_both_backgrounds(key: str, background: str):
    assert contrast(THEME[key], THEME[background]) >= 4.5, (key, background)


def test_primary_colour_is_readable_as_text():
    # Streamlit writes the primary colour as text (a selected segment, a focused input).
    assert contrast(THEME["primaryColor"], THEME["backgroundColor"]) >= 4.5


def test_chart_text_is_readable():
    assert contrast(theme.TEXT_COLOUR, "#ffffff") >= 4.5


def test_streamlit_and_altair_share_the_data_colours():
    assert THEME["chartCategoricalColors"] == [c.upper() for c in theme.PALETTE]
    assert THEME["chartSequentialColors"] == list(theme.SEQUENTIAL_COLOURS)


def test_sequential_colours_darken_step_by_step():
    # One hue whose lightness only falls: the order reads without telling hues apart.
    lightness = [_luminance(c) for c in theme.SEQUENTIAL_COLOURS]
    assert lightness == sorted(lightness, reverse=True)
    assert len(set(lightness)) == len(lightness) == 10
    assert theme.SEQUENTIAL == "blues"


# Vega's "blues" scheme (vega-scale), the nine colours it interpolates between in RGB.
_VEGA_BLUES = "cfe1f2bed8eca8cee58fc1de74b2d75ba3cf4592c63181bd206fb2125ca40a4a90"


def _blues_at(share: float) -> str:
    stops = [_VEGA_BLUES[i : i + 6] for i in range(0, len(_VEGA_BLUES), 6)]
    rgb = [tuple(int(s[j : j + 2], 16) for j in (0, 2, 4)) for s in stops]
    n = len(rgb) - 1
    i = min(int(share * n), n - 1)
    f = share * n - i
    mixed = [round(a + (b - a) * f) for a, b in zip(rgb[i], rgb[i + 1], strict=True)]
    return "#" + "".join(f"{c:02x}" for c in mixed)


def test_text_on_the_blues_reads_at_4_5_to_1_on_every_shade():
    # Heat-map counts and map names: black below BLUES_WHITE_FROM, white from there.
    for step in range(201):
        share = step / 200
        text = theme.WHITE if share >= theme.BLUES_WHITE_FROM else theme.BLACK
        assert contrast(text, _blues_at(share)) >= 4.5, (share, _blues_at(share))
    # the old threshold (0.6) put white on a 3.4:1 blue
    assert contrast(theme.WHITE, _blues_at(0.6)) < 4.5
