"""The sampling-plan spec in force: ``settings.FOODSAFE_SAMPLING_PLAN_SPEC``, re-read on change;
and the publication and closing limits, whose one source is the programme spec in force."""

from __future__ import annotations

import functools
import os

from django.conf import settings

from foodsafe.programme.in_force import programme_spec

from .spec import (
    DEFAULT_SPEC,
    Limit,
    SamplingPlanSpec,
    SamplingPlanSpecError,
    load_sampling_plan_spec,
)

#: The item-6 indicator whose ``within_days`` option is the publication limit.
PUBLISHED_ON_TIME = "sampling_results_published_on_time"
#: The item-6 indicator whose ``within_days`` option is the 核查处置 closing limit.
DISPOSED_ON_TIME = "nonconforming_disposed_on_time"


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


def _programme_days(indicator: str) -> int | None:
    """The ``within_days`` option of the programme indicator ``indicator``, if it has one."""
    try:
        option = programme_spec().indicator(indicator).options.get("within_days")
    except KeyError:
        return None
    return None if option is None else int(option)


def closing_limit(spec: SamplingPlanSpec | None = None) -> Limit:
    """The limit for closing a 不合格 batch's 核查处置: calendar days after the report date (90
    [M]: 抽样检验管理办法 第四十五条), as the 处置期限 of every disposal opened.

    One source, as for :func:`publication_within_days`: the programme spec's item-6 indicator
    ``nonconforming_disposed_on_time`` (option ``within_days``), which the scorecard measures
    the on-time rate with. The sampling-plan spec may repeat it as ``disposal.close.days``;
    a different figure raises :class:`SamplingPlanSpecError` naming the file, the key and both
    figures, and so does ``disposal.close.workdays`` (working days cannot equal the
    scorecard's calendar days), so a deadline and the rate never count with different limits.
    A programme without the indicator leaves the sampling-plan spec's limit (days or working
    days); with neither it raises too.
    """
    spec = spec or sampling_plan_spec()
    own = spec.disposal.close
    days = _programme_days(DISPOSED_ON_TIME)
    if days is None:
        if own.days is None and own.workdays is None:
            raise SamplingPlanSpecError(
                _path(),
                "disposal.close",
                f"考核方案没有指标 {DISPOSED_ON_TIME}，此处须给出 days 或 workdays",
            )
        return own
    if own.days is not None and own.days != days:
        raise SamplingPlanSpecError(
            _path(),
            "disposal.close.days",
            f"为 {own.days} 日，而考核方案指标 {DISPOSED_ON_TIME} 的 within_days 为 {days} 日；"
            "两处须一致（或删去此处，以考核方案为准）",
        )
    if own.workdays is not None:
        raise SamplingPlanSpecError(
            _path(),
            "disposal.close.workdays",
            f"为 {own.workdays} 个工作日，而考核方案指标 {DISPOSED_ON_TIME} 按日历日计"
            f"（within_days {days} 日）；两处须一致（删去此处，以考核方案为准）",
        )
    return own.model_copy(update={"days": days})
