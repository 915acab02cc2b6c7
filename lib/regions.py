"""Region levels above the neighbourhood: 시·도 and 시·군·구, from the 행정동 code.

import-format.md: above one city, a neighbourhood's code gives its region levels: the first
2 digits are its 시·도 (province), the first 5 its 시·군·구 (district: a city, county or
borough). Their names are the neighbourhoods' `province_name` and `district_name` columns.

The deployment's **top** is the highest level with more than one member below it: the
nation when the codes span several provinces, one province when they span several
districts of it, and otherwise the one city (a city deployment: no levels, the product
looks as it always has). Every region page compares the level just below it (the nation:
its provinces; a province: its districts; a district: its neighbourhoods).

Pure functions and one immutable tree (`RegionTree.from_frame`), no database: the loaders
(`lib.queries.reference.load_neighbourhoods`) give the frame, the app caches the tree.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import pandas as pd

NATION, PROVINCE, DISTRICT, NEIGHBOURHOOD = "nation", "province", "district", "neighbourhood"
LEVELS: tuple[str, ...] = (NATION, PROVINCE, DISTRICT, NEIGHBOURHOOD)
# The length of a level's code: a province is the code's first 2 digits, a district its first 5.
PREFIX = {PROVINCE: 2, DISTRICT: 5}
NATION_CODE = ""  # the nation has no code of its own


def has_levels(code: str) -> bool:
    """Whether a neighbourhood code carries region levels (at least 5 digits)."""
    return len(code) >= PREFIX[DISTRICT] and code[: PREFIX[DISTRICT]].isdigit()


def province_code(code: str) -> str:
    """The 시·도 of a neighbourhood (or district) code: its first 2 digits."""
    return code[: PREFIX[PROVINCE]]


def district_code(code: str) -> str:
    """The 시·군·구 of a neighbourhood code: its first 5 digits."""
    return code[: PREFIX[DISTRICT]]


def level_of(region_code: str) -> str:
    """The level a region code names: "" the nation, 2 digits a province, 5 a district."""
    if region_code == NATION_CODE:
        return NATION
    for level, length in PREFIX.items():
        if len(region_code) == length and region_code.isdigit():
            return level
    return NEIGHBOURHOOD


def below(level: str) -> str:
    """The level just below `level` (a district's is the neighbourhood)."""
    return LEVELS[LEVELS.index(level) + 1]


def unit_of(code: str, level: str) -> str:
    """The code of the `level` region a neighbourhood `code` lies in (itself for neighbourhoods)."""
    if level == NATION:
        return NATION_CODE
    if level == NEIGHBOURHOOD:
        return code
    return code[: PREFIX[level]]


@dataclass(frozen=True)
class Region:
    """A region of some level: the nation, a 시·도, a 시·군·구 or one neighbourhood."""

    level: str
    code: str  # "" for the nation, 2 or 5 digits, or the neighbourhood's own code
    name: str  # as the data names it; the code where the data gives no name

    @property
    def path(self) -> str:
        """The URL path of the region's page (a neighbourhood's is its own page)."""
        return region_path(self.code) if self.level != NEIGHBOURHOOD else f"nb-{self.code}"


def region_path(code: str) -> str:
    """The URL path of a province's or district's overview page: `region-44200`."""
    return f"region-{code}"


def region_code_of_path(path: str) -> str | None:
    """The region code a `region-…` URL path names, or None for any other path."""
    prefix = "region-"
    if not path.startswith(prefix):
        return None
    code = path[len(prefix) :]
    return code if level_of(code) in PREFIX else None


@dataclass(frozen=True)
class RegionTree:
    """Every region of a deployment, from its neighbourhoods (code, name, province_name,
    district_name). Frozen and hashable-free: cached by the app per data version."""

    top: Region
    regions: dict[str, Region]  # by code: provinces, districts and neighbourhoods
    children: dict[str, tuple[str, ...]]  # by region code ("" the nation): codes one level down
    hoods: dict[str, tuple[str, ...]]  # by region code: its neighbourhood codes, sorted

    @classmethod
    def from_frame(cls, frame: pd.DataFrame, top_name: str) -> RegionTree:
        """The tree of the neighbourhoods in `frame`; `top_name` names a top without a name
        of its own (the nation, or the city when the data gives no district name)."""
        codes = [str(c) for c in frame["code"]]
        names = dict(zip(codes, (str(n) for n in frame["name"]), strict=True))
        provinces = _names(frame, "province_name", PROVINCE)
        districts = _names(frame, "district_name", DISTRICT)
        leveled = bool(codes) and all(has_levels(c) for c in codes)
        spans = {province_code(c) for c in codes} if leveled else set()
        cities = {district_code(c) for c in codes} if leveled else set()
        if len(spans) > 1:
            top = Region(NATION, NATION_CODE, top_name)
        elif len(cities) > 1:
            (code,) = spans
            top = Region(PROVINCE, code, provinces.get(code) or top_name)
        else:
            code = next(iter(cities)) if cities else NATION_CODE
            top = Region(DISTRICT, code, districts.get(code) or top_name)
        regions: dict[str, Region] = {}
        children: dict[str, list[str]] = {top.code: []}
        hoods: dict[str, list[str]] = {top.code: []}
        levels = LEVELS[LEVELS.index(top.level) + 1 :]
        for code in sorted(codes):
            parent = top.code
            for level in levels:
                unit = unit_of(code, level)
                if unit not in regions:
                    name = names[code] if level == NEIGHBOURHOOD else None
                    if level == PROVINCE:
                        name = provinces.get(unit)
                    elif level == DISTRICT:
                        name = districts.get(unit)
                    regions[unit] = Region(level, unit, name or unit)
                    children.setdefault(parent, []).append(unit)
                    children.setdefault(unit, [])
                    hoods.setdefault(unit, [])
                if level != NEIGHBOURHOOD:
                    hoods[unit].append(code)
                parent = unit
            hoods[top.code].append(code)
        return cls(
            top=top,
            regions=regions,
            children={k: tuple(v) for k, v in children.items()},
            hoods={k: tuple(v) for k, v in hoods.items()},
        )

    @property
    def is_city(self) -> bool:
        """A deployment of one city: no region levels, no region pages."""
        return self.top.level == DISTRICT

    def region(self, code: str) -> Region | None:
        """The region (or neighbourhood) of `code`; the top for its own code; None if unknown."""
        if code == self.top.code:
            return self.top
        return self.regions.get(code)

    def parent(self, code: str) -> Region | None:
        """The region one level up (None for the top)."""
        region = self.region(code)
        if region is None or region == self.top:
            return None
        for level in reversed(LEVELS[: LEVELS.index(region.level)]):
            if level == self.top.level:
                return self.top
            up = self.regions.get(unit_of(code, level))
            if up is not None:
                return up
        return self.top

    def ancestors(self, code: str) -> tuple[Region, ...]:
        """From the top down to the region's parent (empty for the top)."""
        out: list[Region] = []
        up = self.parent(code)
        while up is not None:
            out.append(up)
            up = self.parent(up.code)
        return tuple(reversed(out))

    def children_of(self, code: str) -> tuple[Region, ...]:
        """The regions (or neighbourhoods) one level below `code`, by code."""
        return tuple(self.regions[c] for c in self.children.get(code, ()))

    def neighbourhoods_of(self, code: str) -> tuple[str, ...]:
        """Every neighbourhood code inside the region (its own code for a neighbourhood)."""
        region = self.region(code)
        if region is not None and region.level == NEIGHBOURHOOD:
            return (code,)
        return self.hoods.get(code, ())

    def siblings(self, code: str) -> tuple[str, ...]:
        """The codes that share the region's parent, the region included (what it ranks among)."""
        parent = self.parent(code)
        return self.children.get(parent.code, ()) if parent is not None else (code,)

    def search(self, text: str, limit: int | None = 20) -> list[Region]:
        """Regions and neighbourhoods whose name or code contains `text`, higher levels first,
        then by code; at most `limit` (None: all of them)."""
        needle = "".join(text.split()).casefold()
        if not needle:
            return []
        found = [
            r
            for r in self.regions.values()
            if needle in "".join(r.name.split()).casefold() or r.code.startswith(needle)
        ]
        found.sort(key=lambda r: (LEVELS.index(r.level), r.code))
        return found if limit is None else found[:limit]

    def label(self, code: str) -> str:
        """The region's name with the names above it below the top: "한빛도 한빛시 한빛1동"."""
        region = self.region(code)
        if region is None:
            return code
        chain = [r.name for r in self.ancestors(code) if r != self.top]
        return " ".join([*chain, region.name])


def _names(frame: pd.DataFrame, column: str, level: str) -> dict[str, str]:
    """{region code: name} from a name column; the first name given wins (the importer
    refuses rows of one region that give different names)."""
    if column not in frame.columns:
        return {}
    out: dict[str, str] = {}
    for code, name in zip(frame["code"], frame[column], strict=True):
        if name is None or (isinstance(name, float) and pd.isna(name)) or not str(name).strip():
            continue
        if has_levels(str(code)):
            out.setdefault(unit_of(str(code), level), str(name).strip())
    return out


def conflicting_names(
    rows: Iterable[tuple[str, str | None, str | None]],
) -> list[tuple[str, str, str, str]]:
    """(level, region code, first name, other name) for every region whose rows
    (code, province_name, district_name) give two different names."""
    seen: dict[tuple[str, str], str] = {}
    problems: list[tuple[str, str, str, str]] = []
    for code, province, district in rows:
        if not has_levels(code):
            continue
        for level, name in ((PROVINCE, province), (DISTRICT, district)):
            if name is None or not str(name).strip():
                continue
            key = (level, unit_of(code, level))
            first = seen.setdefault(key, str(name).strip())
            if first != str(name).strip():
                problems.append((level, key[1], first, str(name).strip()))
    return problems


def narrowed_codes(allowed: Sequence[str] | None, region_codes: Sequence[str]) -> tuple[str, ...]:
    """The neighbourhood codes a scope keeps inside a region: the region's, within `allowed`
    (None: no restriction before)."""
    if allowed is None:
        return tuple(region_codes)
    keep = set(allowed)
    return tuple(c for c in region_codes if c in keep)


__all__ = [
    "DISTRICT",
    "LEVELS",
    "NATION",
    "NEIGHBOURHOOD",
    "PROVINCE",
    "Region",
    "RegionTree",
    "below",
    "conflicting_names",
    "district_code",
    "has_levels",
    "level_of",
    "narrowed_codes",
    "province_code",
    "region_code_of_path",
    "region_path",
    "unit_of",
]
