"""What a viewer may see. Every query takes a `Scope` and applies it in SQL.

Staff see the whole city (`Scope.city()`). A partner's share link will carry a narrower
scope (some neighbourhoods, or one agency's referrals); because the restriction is an
argument of each query, and part of every cache key, no page can forget it.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Scope:
    """A restriction on the rows a query may read; the default restricts nothing."""

    neighbourhood_codes: tuple[str, ...] | None = None  # None: every neighbourhood
    agency_code: str | None = None  # a partner: only cases/referrals that involve it
    partner_view: bool = False  # small counts are suppressed in partner views
    # A region page's 시·도 or 시·군·구 code (lib.regions); its neighbourhoods are in
    # `neighbourhood_codes`, which is what the queries apply. None: the deployment's top.
    region: str | None = None

    @classmethod
    def city(cls) -> Scope:
        return cls()

    def within(self, region: str, codes: tuple[str, ...]) -> Scope:
        """This scope narrowed to a region whose neighbourhoods are `codes`: never wider
        than before (a partner's link keeps only its own neighbourhoods inside it)."""
        from lib.regions import narrowed_codes

        kept = narrowed_codes(self.neighbourhood_codes, codes)
        return Scope(kept, self.agency_code, self.partner_view, region)

    @property
    def is_restricted(self) -> bool:
        return self.neighbourhood_codes is not None or self.agency_code is not None

    @property
    def shows_case_rows(self) -> bool:
        """Whether case-level rows (case and referral ids, dates, statuses) may be shown.

        metrics.md: in a partner view only for the referrals sent by or to the partner's own
        agency, so an agency's link shows them (its queries keep only those referrals) and
        a neighbourhood's link never does.
        """
        return not self.partner_view or self.agency_code is not None
