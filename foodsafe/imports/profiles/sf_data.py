"""The real San Francisco inspection data under an org unit of its own, through ``sf_health``.

``load_sf_data`` creates the org unit 990000000000 "San Francisco (real public data, BSD-2
licence)" and its 2017 resident population (884,000, the U.S. Census Bureau estimate quoted in
shared/data/README.md), then imports businesses.csv, inspections.csv and violations.csv through
the ``sf_health`` profile, all in one transaction. Code 99 is no Chinese province, so the unit
cannot collide with a real division code. The data has no opening or closing dates, so every
business counts as operating on every day.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import transaction

from foodsafe.orgunits.models import OrgUnit, Population, division_level

from .run import ProfileResult, Rejected, profile_import
from .spec import load_profile

SF_CODE = "990000000000"
SF_NAME = "San Francisco (real public data, BSD-2 licence)"
SF_POPULATION = {2017: 884_000}
SF_POPULATION_SOURCE = "U.S. Census Bureau estimate, via shared/data/README.md"
#: The sources of ``sf_health`` in the order they must be imported.
SF_SOURCES = ("businesses", "inspections", "violations")


#: Where the data is looked for, after ``$FOODSAFE_SF_DATA_DIR``: beside the clone (as in
#: CI), then under the directory the command runs in and its parent (a clone elsewhere).
_SF_SUBDIR = Path("shared") / "data" / "sf-health-inspections"


def sf_dir_candidates(repo_root: Path | None = None, cwd: Path | None = None) -> list[Path]:
    """The folders ``load-sf-data`` tries without ``--dir``, in order."""
    root = repo_root or Path(__file__).resolve().parents[3]
    here = cwd or Path.cwd()
    found = [Path(p) for p in [os.environ.get("FOODSAFE_SF_DATA_DIR", "")] if p]
    for candidate in (root.parent / _SF_SUBDIR, here / _SF_SUBDIR, here.parent / _SF_SUBDIR):
        if candidate not in found:
            found.append(candidate)
    return found


def default_sf_dir(repo_root: Path | None = None, cwd: Path | None = None) -> Path:
    """The first of :func:`sf_dir_candidates` that holds businesses.csv, else the first one.

    The old default was only ``../shared/data/sf-health-inspections`` beside the clone, so a
    clone anywhere else failed with a path the user never chose (issue 18, point 9).
    """
    candidates = sf_dir_candidates(repo_root, cwd)
    for candidate in candidates:
        if (candidate / "businesses.csv").is_file():
            return candidate
    return candidates[0]


@dataclass(frozen=True)
class SfLoad:
    org_unit: str
    results: tuple[ProfileResult, ...]

    @property
    def rejected(self) -> list[Rejected]:
        return [r for result in self.results for r in result.rejected]

    def count(self, ledger: str) -> int:
        """Rows of ``ledger`` the load added, updated or found unchanged."""
        return sum(
            r.added + r.updated + r.unchanged
            for result in self.results
            for r in result.results
            if r.ledger == ledger
        )


def ensure_sf_unit() -> OrgUnit:
    """The SF org unit and its population figures, created or brought up to date."""
    unit, _ = OrgUnit.objects.update_or_create(
        code=SF_CODE,
        defaults={"name": SF_NAME, "level": division_level(SF_CODE), "is_example": False},
    )
    for year, people in SF_POPULATION.items():
        Population.objects.update_or_create(
            org_unit=unit,
            year=year,
            defaults={"resident_population": people, "source": SF_POPULATION_SOURCE},
        )
    return unit


def load_sf_data(
    directory: Path | None = None, *, actor: Any = None, dry_run: bool = False
) -> SfLoad:
    """Create the SF org unit and import the three files; all or nothing.

    Raises ``ImportValidationError`` (nothing written) for any problem the profile does not
    set aside with a reason, ``FileNotFoundError`` when a file is missing.
    """
    given = directory is not None
    directory = directory or default_sf_dir()
    profile = load_profile("sf_health")
    paths = {name: directory / profile.sources[name].file for name in SF_SOURCES}
    missing = [str(p) for p in paths.values() if not p.is_file()]
    if missing:
        tried = "" if given else "（已查找：" + "、".join(map(str, sf_dir_candidates())) + "）"
        raise FileNotFoundError(
            f"找不到旧金山数据文件：{', '.join(missing)}{tried}；"
            "请用 --dir 指明目录，或设置环境变量 FOODSAFE_SF_DATA_DIR"
        )
    results = []
    with transaction.atomic():
        ensure_sf_unit()
        for name in SF_SOURCES:
            results.append(
                profile_import(
                    profile=profile,
                    source=name,
                    path=paths[name],
                    params={"org_unit": SF_CODE},
                    actor=actor,
                )
            )
        if dry_run:
            transaction.set_rollback(True)
    return SfLoad(SF_CODE, tuple(results))
