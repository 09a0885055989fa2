"""The sampling-plan spec in force: ``settings.FOODSAFE_SAMPLING_PLAN_SPEC``, re-read on change;
and the publication limit, whose one source is the programme spec in force."""

from __future__ import annotations

import functools
import os

from django.conf import settings

from foodsafe.programme.in_force import programme_spec

from .spec import DEFAULT_SPEC, SamplingPlanSpec, SamplingPlanSpecError, load_sampling_plan_spec

#: The item-6 indicator whose ``within_days`` option is the publication limit.
PUBLISHED_ON_TIME = "sampling_results_published_on_time"


@functools.lru_cache(maxsize=4)
def _spec_at(path: str, mtime_ns: int) -> SamplingPlanSpec:
    return load_sampling_plan_spec(path)


def _path() -> str:
    return str(getattr(settings, "FOODSAFE_SAMPLING_PLAN_SPEC", "") or DEFAULT_SPEC)


def sampling_plan_spec() -> SamplingPlanSpec:
    """The spec at ``settings.FOODSAFE_SAMPLING_PLAN_SPEC`` (default: the shipped 2021 rules)."""
    path = _path()
    try:
        mtime = os.stat(path).st_mtime_ns
    except OSError:
        mtime = 0
    return _spec_at(path, mtime)


def publication_within_days(spec: SamplingPlanSpec | None = None) -> int:
    """The limit for publishing a 监督抽检 result: calendar days after the report date (30 [I]:
    the 抽样检验管理办法 says only "及时").

    One source: the programme spec's item-6 indicator ``sampling_results_published_on_time``
    (option ``within_days``), which the scorecard measures with; the sampling pages read it
    here. A sampling-plan spec may repeat it as ``publication.within_days``; if the two differ
    this raises :class:`SamplingPlanSpecError` naming the key and both figures, so the pages
    and the scorecard never count with different limits. A programme without that indicator
    leaves the sampling-plan spec's figure; with neither it raises too.
    """
    spec = spec or sampling_plan_spec()
    own = spec.publication.within_days
    try:
        option = programme_spec().indicator(PUBLISHED_ON_TIME).options.get("within_days")
    except KeyError:
        option = None
    if option is not None and own is not None and int(option) != own:
        raise SamplingPlanSpecError(
            _path(),
            "publication.within_days",
            f"为 {own} 日，而考核方案指标 {PUBLISHED_ON_TIME} 的 within_days 为 {option} 日；"
            "两处须一致（或删去此处，以考核方案为准）",
        )
    days = int(option) if option is not None else own
    if days is None:
        raise SamplingPlanSpecError(
            _path(),
            "publication.within_days",
            f"考核方案没有指标 {PUBLISHED_ON_TIME}，此处须给出公开期限（日）",
        )
    return days
