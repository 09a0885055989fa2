"""The sampling-plan spec in force: ``settings.FOODSAFE_SAMPLING_PLAN_SPEC``, re-read on change."""

from __future__ import annotations

import functools
import os

from django.conf import settings

from .spec import DEFAULT_SPEC, SamplingPlanSpec, load_sampling_plan_spec


@functools.lru_cache(maxsize=4)
def _spec_at(path: str, mtime_ns: int) -> SamplingPlanSpec:
    return load_sampling_plan_spec(path)


def sampling_plan_spec() -> SamplingPlanSpec:
    """The spec at ``settings.FOODSAFE_SAMPLING_PLAN_SPEC`` (default: the shipped 2021 rules)."""
    path = str(getattr(settings, "FOODSAFE_SAMPLING_PLAN_SPEC", "") or DEFAULT_SPEC)
    try:
        mtime = os.stat(path).st_mtime_ns
    except OSError:
        mtime = 0
    return _spec_at(path, mtime)
