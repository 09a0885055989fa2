"""The plan spec in force: ``settings.FOODSAFE_PLAN_SPEC``, re-read when the file changes."""

from __future__ import annotations

import functools
import os

from django.conf import settings

from .spec import PlanSpec, load_plan_spec


@functools.lru_cache(maxsize=4)
def _spec_at(path: str, mtime_ns: int) -> PlanSpec:
    return load_plan_spec(path)


def plan_spec() -> PlanSpec:
    """The plan spec at ``settings.FOODSAFE_PLAN_SPEC`` (re-read when the file changes).

    Raises :class:`~foodsafe.inspectionplan.spec.PlanSpecError` for a bad spec.
    """
    path = str(settings.FOODSAFE_PLAN_SPEC)
    try:
        mtime = os.stat(path).st_mtime_ns
    except OSError:
        mtime = 0  # the loader raises PlanSpecError naming the file
    return _spec_at(path, mtime)
