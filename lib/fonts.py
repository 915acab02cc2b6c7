"""The one typeface of every rendering: Pretendard GOV (KRDS), from `static/fonts/`.

The browser uses the committed WOFF2 files directly. Server-side renderings (chart PNG and
SVG through vl-convert, the PDF report, the PowerPoint deck) need TrueType: `ttf_path`
decompresses the committed WOFF2 once per process into a cache folder (fontTools; about
0.5 s a weight), so no Korean system font is needed and nothing is downloaded.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
import threading
from pathlib import Path

from lib.config import PROJECT_ROOT

FONT_DIR = PROJECT_ROOT / "static" / "fonts"
FAMILY = "Pretendard GOV"
WEIGHTS = {400: "Regular", 600: "SemiBold", 700: "Bold"}
_lock = threading.Lock()
_registered = False


def _cache_dir() -> Path:
    """Where the TrueType files go: a folder of this checkout's fonts, per user."""
    digest = hashlib.sha256(str(FONT_DIR).encode()).hexdigest()[:12]
    return Path(tempfile.gettempdir()) / f"itda-fonts-{os.getuid()}-{digest}"


def woff2_path(weight: int = 400) -> Path:
    return FONT_DIR / f"PretendardGOV-{WEIGHTS[weight]}.subset.woff2"


def ttf_path(weight: int = 400) -> Path:
    """The TrueType file of `weight` (400, 600 or 700), made from the WOFF2 on first use."""
    source = woff2_path(weight)
    target = _cache_dir() / f"PretendardGOV-{WEIGHTS[weight]}.ttf"
    with _lock:
        if target.exists() and target.stat().st_mtime >= source.stat().st_mtime:
            return target
        from fontTools.ttLib import TTFont

        target.parent.mkdir(parents=True, exist_ok=True)
        font = TTFont(str(source))
        font.flavor = None
        # Write aside, then rename: another process may be reading the same file.
        partial = target.with_suffix(f".{os.getpid()}.part")
        font.save(str(partial))
        partial.replace(target)
        return target


def ttf_dir() -> Path:
    """The folder holding every weight's TrueType file (for vl-convert's font registry)."""
    for weight in WEIGHTS:
        ttf_path(weight)
    return _cache_dir()


def register_with_vl_convert() -> None:
    """Make vl-convert draw charts in Pretendard GOV (once per process)."""
    global _registered
    if _registered:
        return
    import vl_convert as vlc

    vlc.register_font_directory(str(ttf_dir()))
    _registered = True
