"""The deterministic demo data set: 한빛시 (17 읍면동, 25 agencies, three years of data).

`build_demo(engine)` replaces all data with it; the same seed, scale and as-of date always
give the same rows. Larger scales add generated cities for benchmarks and stream them to
the database: `province` is 한빛도 (15 cities, one 시·도), `nation` 206 cities in the 17 시·도
(see `places.PROVINCES`). Every neighbourhood carries its 시도명 and 시군구명.
"""

from __future__ import annotations

from lib.demo.build import SCALES, DemoSummary, build_demo
from lib.demo.dates import DEFAULT_AS_OF

__all__ = ["DEFAULT_AS_OF", "SCALES", "DemoSummary", "build_demo"]
