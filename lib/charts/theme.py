"""One look for every chart: the Okabe–Ito palette, Pretendard GOV, horizontal labels.

Okabe–Ito (Okabe & Ito, 2008) stays distinguishable for the common forms of colour
blindness; data colours are therefore not KRDS's system colours (red and green would
collide for a red-green colour-blind reader). Text and grid lines take KRDS's greys, as the
Streamlit theme does (.streamlit/config.toml; DEVELOPERS.md "Design tokens").
Chart functions end with `themed(chart)`; pages draw with
`st.altair_chart(chart, theme=None)` so that Streamlit keeps this configuration.
"""

from __future__ import annotations

import altair as alt

# Okabe–Ito, ordered so that the first colours are the most distinct from each other.
BLUE = "#0072B2"
ORANGE = "#E69F00"
GREEN = "#009E73"
VERMILLION = "#D55E00"
SKY = "#56B4E9"
PURPLE = "#CC79A7"
YELLOW = "#F0E442"
BLACK = "#000000"
WHITE = "#FFFFFF"
GREY = "#999999"
LIGHT_GREY = "#D9D9D9"
PALETTE: tuple[str, ...] = (BLUE, ORANGE, GREEN, VERMILLION, SKY, PURPLE, YELLOW, BLACK)
# Ordered measures (low → high risk, early → late stage) use one hue's light → dark ramp.
RISK_COLOURS: tuple[str, ...] = (SKY, ORANGE, VERMILLION)  # 일반, 위기, 고위험
# Ordered quantities on a map or heat map: one hue from light to dark, so the order reads in
# every colour vision and in grey print: `alt.Scale(scheme=SEQUENTIAL)` (Vega's "blues"), or
# for stepped classes `alt.Scale(range=SEQUENTIAL_COLOURS[k::m])`, KRDS's primary ramp
# (primary-5 … primary-90), the theme's chartSequentialColors in .streamlit/config.toml.
SEQUENTIAL = "blues"
# Text on Vega's "blues" (linear in RGB between its nine colours): from this share of the
# scale the cell's luminance is below 0.179, where black and white text both read 4.58:1;
# so white from here on, black below it, and every label reads at least 4.5:1.
BLUES_WHITE_FROM = 0.74
SEQUENTIAL_COLOURS: tuple[str, ...] = (
    "#ecf2fe",
    "#d8e5fd",
    "#b1cefb",
    "#86aff9",
    "#4c87f6",
    "#256ef4",
    "#0b50d0",
    "#083891",
    "#052561",
    "#03163a",
)
# Referral statuses: waiting, answered, outcomes (the network charts share this mapping).
STATUS_COLOURS: dict[str, str] = {
    "의뢰": ORANGE,
    "수락": SKY,
    "불수락": GREY,
    "연계완료": BLUE,
    "연계실패": VERMILLION,
    "회수": LIGHT_GREY,
}

# Pretendard GOV first: the browser draws the charts with the app's own copy (static/fonts/,
# declared in .streamlit/config.toml, the same stack as the Streamlit theme). Server-side
# renderings (vl-convert: PNG, PDF) use system fonts, so Debian's fonts-noto-cjk follows,
# then what Windows and macOS ship.
FONT_FAMILY = "Pretendard GOV"
FONT = (
    f"'{FONT_FAMILY}', 'Noto Sans KR', 'Noto Sans CJK KR', 'Apple SD Gothic Neo', "
    "'Malgun Gothic', 'Nanum Gothic', sans-serif"
)
TEXT_COLOUR = "#464c53"  # KRDS text-subtle (gray-70): 8.7:1 on white
GRID_COLOUR = "#e6e8ea"  # KRDS gray-10

CONFIG: dict = {
    "font": FONT,
    "background": "transparent",
    "view": {"stroke": None},
    "range": {"category": list(PALETTE)},
    "axis": {
        "labelFont": FONT,
        "titleFont": FONT,
        "labelFontSize": 12,
        "titleFontSize": 12,
        "labelColor": TEXT_COLOUR,
        "titleColor": TEXT_COLOUR,
        "titleFontWeight": "normal",
        "gridColor": GRID_COLOUR,
        "domainColor": GRID_COLOUR,
        "tickColor": GRID_COLOUR,
        "labelLimit": 180,
    },
    # Korean labels are never rotated: long categories go on the y axis instead.
    "axisX": {"labelAngle": 0},
    "legend": {
        "labelFont": FONT,
        "titleFont": FONT,
        "labelFontSize": 12,
        "titleFontSize": 12,
        "titleFontWeight": "normal",
        "orient": "bottom",
        "direction": "horizontal",
    },
    "title": {"font": FONT, "fontSize": 14, "fontWeight": "normal", "anchor": "start"},
    "text": {"font": FONT},
    "bar": {"cornerRadiusEnd": 2},
}


def themed(chart: alt.TopLevelMixin) -> alt.TopLevelMixin:
    """`chart` with the Itda configuration (palette, fonts, axes) applied."""
    return chart.configure(**CONFIG)


def krw_axis_expr(lang: str) -> str:
    """A Vega expression that labels a won axis briefly: 3만 · 1.2억 (ko), 1.2M (en)."""
    if lang == "ko":
        return (
            "abs(datum.value) >= 1e8 ? format(datum.value / 1e8, ',.1~f') + '억' : "
            "abs(datum.value) >= 1e4 ? format(datum.value / 1e4, ',.0f') + '만' : "
            "format(datum.value, ',')"
        )
    return "format(datum.value, '.2~s')"
