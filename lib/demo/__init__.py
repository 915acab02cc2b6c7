"""The deterministic demo data set: 한빛시 (17 읍면동, 25 agencies, three years of data).

`build_demo(engine)` replaces all data with it; the same seed, scale and as-of date always
give the same rows. Larger scales (`province`, `nation`) add generated cities for
benchmarks and stream them to the database.
"""

from __future__ import annotations

from lib.demo.build import SCALES, DemoSummary, build_demo
from lib.demo.dates import DEFAULT_AS_OF

__all__ = ["DEFAULT_AS_OF", "SCALES", "DemoSummary", "build_demo"]
