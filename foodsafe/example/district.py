"""The example district's shape: org units, population split, shared helpers and state.

Every generator module adds rows to one ``District``; rows are dicts keyed by the importer's
field names (see ``foodsafe.imports.ledgers``) holding codes, natural keys and dates. The writer
turns codes into the Chinese labels a real ledger would show.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cached_property
from typing import Any, TypeVar

T = TypeVar("T")

EXAMPLE = "（示例）"
CITY = "120000000000"
CITY_DISTRICTS = "120100000000"
DISTRICT = "120101000000"
YEAR = 2021


@dataclass(frozen=True)
class Subdistrict:
    """A subdistrict (街道): code, name, share of the residents, and whether it is the weak one.

    The weak subdistrict gets a larger part of every deliberate gap (late complaints,
    uninspected businesses, missing bright kitchens…) so that drilling down shows a difference.
    """

    code: str
    name: str
    share: float
    weak: bool = False


#: 和平区's six subdistricts (统计用区划代码), with a made-up split of the residents.
SUBDISTRICTS = (
    Subdistrict("120101001000", "劝业场街道", 0.150),
    Subdistrict("120101002000", "小白楼街道", 0.145),
    Subdistrict("120101003000", "五大道街道", 0.135),
    Subdistrict("120101004000", "新兴街道", 0.165),
    Subdistrict("120101005000", "南营门街道", 0.200),
    # The weaker one: an old market quarter with many small eateries and stalls.
    Subdistrict("120101006000", "南市街道", 0.205, weak=True),
)
WEAK = SUBDISTRICTS[-1].code


def split(total: int, weights: Sequence[float]) -> list[int]:
    """Split ``total`` into integers proportional to ``weights`` (largest remainder)."""
    scale = sum(weights)
    exact = [total * w / scale for w in weights]
    parts = [int(x) for x in exact]
    order = sorted(range(len(weights)), key=lambda i: (-(exact[i] - parts[i]), i))
    for i in order[: total - sum(parts)]:
        parts[i] += 1
    return parts


def per_thousand(rate: float, population: int) -> int:
    """``rate`` per 1,000 residents, rounded half up, as a count."""
    return int(rate * population / 1000 + 0.5)


@dataclass
class District:
    """The generator's state: inputs, the random source, and the rows of every ledger."""

    population: int
    seed: int
    rng: random.Random = field(init=False)
    rows: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    #: Businesses by registry number, with extra facts the later generators use.
    businesses: dict[str, dict[str, Any]] = field(default_factory=dict)
    staff_names: list[str] = field(default_factory=list)
    #: The deliberate gaps as generated (which canteens, how many late complaints…).
    facts: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.rng = random.Random(self.seed)

    def add(self, ledger: str, row: dict[str, Any]) -> dict[str, Any]:
        self.rows.setdefault(ledger, []).append(row)
        return row

    @cached_property
    def populations(self) -> dict[int, dict[str, int]]:
        """Resident population per subdistrict code, for 2021 (the input) and 2020."""
        weights = [s.share for s in SUBDISTRICTS]
        earlier = round(self.population * 1.004)
        return {
            YEAR: dict(
                zip((s.code for s in SUBDISTRICTS), split(self.population, weights), strict=True)
            ),
            YEAR - 1: dict(
                zip((s.code for s in SUBDISTRICTS), split(earlier, weights), strict=True)
            ),
        }

    # -- random helpers ------------------------------------------------------------------------
    def choice(self, items: Sequence[T]) -> T:
        return items[self.rng.randrange(len(items))]

    def weighted(self, items: Sequence[T], weights: Sequence[float]) -> T:
        return self.rng.choices(items, weights=weights, k=1)[0]

    def day_in(self, start: date, end: date) -> date:
        """A random day from ``start`` to ``end`` inclusive."""
        return start + timedelta(days=self.rng.randrange((end - start).days + 1))

    def subdistrict_for(self, weights: Sequence[float] | None = None) -> Subdistrict:
        return self.weighted(SUBDISTRICTS, weights or [s.share for s in SUBDISTRICTS])


def org_units(district: District) -> None:
    """The unit tree 天津市 → 市辖区 → 和平区 → six subdistricts, and resident population."""
    units = [
        (CITY, "天津市", None),
        (CITY_DISTRICTS, "天津市市辖区", CITY),
        (DISTRICT, "和平区", CITY_DISTRICTS),
        *((s.code, s.name, DISTRICT) for s in SUBDISTRICTS),
    ]
    for code, name, parent in units:
        district.add(
            "orgunits", {"code": code, "name": name + EXAMPLE, "parent": parent, "is_example": True}
        )
    for year, by_code in sorted(district.populations.items()):
        source = f"示例数据：按 {district.population:,} 人（{YEAR}年）生成，非统计公报数字"
        district.add(
            "population",
            {
                "org_unit": DISTRICT,
                "year": year,
                "resident_population": sum(by_code.values()),
                "source": source,
            },
        )
        for code, people in by_code.items():
            district.add(
                "population",
                {"org_unit": code, "year": year, "resident_population": people, "source": source},
            )
