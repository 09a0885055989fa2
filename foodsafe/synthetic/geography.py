"""The org-unit tree of a synthetic jurisdiction and its resident population.

Size decides the shape (``ratios``): up to 2 M residents one district (县区级) with subdistricts
of ~60,000; up to 25 M a city (地市级) of districts of ~625,000; above that a province of cities
of ~10 M. Codes are 12-digit statistical division codes in province codes 91–99, which no real
division uses (real province codes run 11–82), so nothing can clash with real data or with the
example district 120101:

- a district: ``91`` + 4 digits chosen by the name's hash (9,801 slots) → ``91ccdd000000``;
- a city: ``92`` + 2 digits by the hash (99 slots) → ``92cc00000000``;
- a province: ``93``–``99`` by the hash (7 slots).

Every unit is ``is_example`` and named "…（合成）". Populations for 2020 and 2021 both sum to N
at every level (parents are the sum of their children).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

import numpy as np

from foodsafe.orgunits.models import OrgUnit, Population, division_level, subtree_prefix

from . import ratios as R
from .tables import Table

SUFFIX = "（合成）"
SHAPES = {"district": "区", "city": "市", "province": "省"}


def shape_for(population: int) -> str:
    if population <= R.MAX_DISTRICT_POPULATION:
        return "district"
    if population <= R.MAX_CITY_POPULATION:
        return "city"
    return "province"


def default_name(population: int, seed: int) -> str:
    return f"合成{SHAPES[shape_for(population)]}{population}-{seed}"


def top_code(name: str, shape: str) -> str:
    """The code of the jurisdiction named ``name``: a pure function of the name and shape."""
    h = int.from_bytes(hashlib.sha256(name.encode("utf-8")).digest()[:8], "big")
    if shape == "district":
        slot = h % 9801
        return f"91{slot // 99 + 1:02d}{slot % 99 + 1:02d}000000"
    if shape == "city":
        return f"92{h % 99 + 1:02d}00000000"
    return f"{93 + h % 7}0000000000"


def split(rng: np.random.Generator, total: int, k: int, sigma: float) -> np.ndarray:
    """``total`` split into ``k`` lognormally sized integer parts that sum exactly to it."""
    return allocate(total, rng.lognormal(0.0, sigma, k))


def allocate(total: int, weights: np.ndarray) -> np.ndarray:
    """Largest-remainder allocation of ``total`` in proportion to ``weights``."""
    raw = weights / weights.sum() * total
    base = np.floor(raw).astype(np.int64)
    rest = int(total - base.sum())
    if rest:
        base[np.argsort(-(raw - base), kind="stable")[:rest]] += 1
    return base


@dataclass
class Geography:
    """The tree, flat: every unit, and the leaves (subdistricts) and districts as arrays."""

    name: str
    shape: str
    code: str
    units: list[tuple[str, str, int, str | None]] = field(default_factory=list)
    #: per unit code: {year: population}
    population: dict[str, dict[int, int]] = field(default_factory=dict)
    leaf_code: list[str] = field(default_factory=list)
    leaf_name: list[str] = field(default_factory=list)
    leaf_district: list[int] = field(default_factory=list)
    district_code: list[str] = field(default_factory=list)
    district_name: list[str] = field(default_factory=list)

    @property
    def prefix(self) -> str:
        return subtree_prefix(self.code)

    def leaf_population(self, year: int) -> np.ndarray:
        return np.asarray([self.population[c][year] for c in self.leaf_code], dtype=np.int64)

    def district_population(self, year: int) -> np.ndarray:
        return np.asarray([self.population[c][year] for c in self.district_code], dtype=np.int64)


def build_geography(rng: np.random.Generator, *, population: int, name: str) -> Geography:
    """The org-unit tree of a jurisdiction of ``population`` residents named ``name``."""
    shape = shape_for(population)
    code = top_code(name, shape)
    geo = Geography(name=name, shape=shape, code=code)
    geo.units.append((code, f"{name}{SUFFIX}", division_level(code), None))
    sizes_2021: dict[str, int] = {code: population}

    def districts_under(parent: str, label: str, pop: int, codes: list[str]) -> None:
        for i, (dcode, dpop) in enumerate(zip(codes, _sizes(rng, pop, len(codes)), strict=True)):
            dlabel = f"{label}{i + 1}区" if dcode != parent else label
            if dcode != parent:
                geo.units.append((dcode, f"{dlabel}{SUFFIX}", 3, parent))
            sizes_2021[dcode] = int(dpop)
            geo.district_code.append(dcode)
            geo.district_name.append(dlabel)
            k = min(999, max(2, round(dpop / R.RESIDENTS_PER_SUBDISTRICT)))
            for j, spop in enumerate(split(rng, int(dpop), k, R.UNIT_SIZE_SIGMA)):
                scode = f"{dcode[:6]}{j + 1:03d}000"
                geo.units.append((scode, f"{dlabel}{j + 1}街道{SUFFIX}", 4, dcode))
                sizes_2021[scode] = int(spop)
                geo.leaf_code.append(scode)
                geo.leaf_name.append(f"{dlabel}{j + 1}街道")
                geo.leaf_district.append(len(geo.district_code) - 1)

    if shape == "district":
        districts_under(code, name, population, [code])
    elif shape == "city":
        n = min(99, max(2, round(population / R.RESIDENTS_PER_DISTRICT)))
        districts_under(code, name, population, [f"{code[:4]}{d + 1:02d}000000" for d in range(n)])
    else:
        n_cities = min(99, max(2, round(population / R.RESIDENTS_PER_CITY)))
        for c, cpop in enumerate(split(rng, population, n_cities, R.UNIT_SIZE_SIGMA)):
            ccode = f"{code[:2]}{c + 1:02d}00000000"
            clabel = f"{name}{c + 1}市"
            geo.units.append((ccode, f"{clabel}{SUFFIX}", 2, code))
            sizes_2021[ccode] = int(cpop)
            n = min(99, max(2, round(int(cpop) / R.RESIDENTS_PER_DISTRICT)))
            codes = [f"{ccode[:4]}{d + 1:02d}000000" for d in range(n)]
            districts_under(ccode, clabel, int(cpop), codes)

    # 2020: the same total, a little shifted between subdistricts; parents are sums.
    leaf_2021 = np.asarray([sizes_2021[c] for c in geo.leaf_code], dtype=float)
    shift = 1.0 + rng.normal(0.0, R.POPULATION_SHIFT_SD, len(leaf_2021))
    leaf_2020 = allocate(population, leaf_2021 * shift)
    sizes_2020 = {c: 0 for c, *_ in geo.units}
    parents = {c: p for c, _, _, p in geo.units}
    for leaf, pop in zip(geo.leaf_code, leaf_2020.tolist(), strict=True):
        unit: str | None = leaf
        while unit is not None:
            sizes_2020[unit] += pop
            unit = parents[unit]
    for ucode, *_ in geo.units:
        geo.population[ucode] = {2020: sizes_2020[ucode], 2021: sizes_2021[ucode]}
    return geo


def _sizes(rng: np.random.Generator, total: int, k: int) -> np.ndarray:
    return np.asarray([total]) if k == 1 else split(rng, total, k, R.UNIT_SIZE_SIGMA)


def org_unit_tables(geo: Geography) -> tuple[Table, Table]:
    """The ``orgunits_orgunit`` and ``orgunits_population`` rows of the tree."""
    units = Table(
        OrgUnit,
        {
            "id": np.arange(len(geo.units)),
            "code": [u[0] for u in geo.units],
            "name": [u[1] for u in geo.units],
            "level": np.asarray([u[2] for u in geo.units]),
            "parent_code": [u[3] for u in geo.units],
            "is_example": np.ones(len(geo.units), dtype=bool),
        },
    )
    rows = [(c, y, geo.population[c][y]) for c, *_ in geo.units for y in R.YEARS]
    populations = Table(
        Population,
        {
            "id": np.arange(len(rows)),
            "org_unit_code": [r[0] for r in rows],
            "year": np.asarray([r[1] for r in rows]),
            "resident_population": np.asarray([r[2] for r in rows]),
            "source": ["合成数据（foodsafe generate）"] * len(rows),
        },
    )
    return units, populations
