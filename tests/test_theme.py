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
