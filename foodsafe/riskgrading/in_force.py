"""The grading spec in force: ``settings.FOODSAFE_GRADING_SPEC``, re-read when the file changes."""

from __future__ import annotations

import functools
import os

from django.conf import settings

from .spec import GradingSpec, load_grading_spec


@functools.lru_cache(maxsize=4)
def _spec_at(path: str, mtime_ns: int) -> GradingSpec:
    return load_grading_spec(path)


def grading_spec() -> GradingSpec:
    """The grading spec at ``settings.FOODSAFE_GRADING_SPEC`` (re-read when the file changes).

    Raises :class:`~foodsafe.riskgrading.spec.GradingSpecError` for a bad spec.
    """
    path = str(settings.FOODSAFE_GRADING_SPEC)
    try:
        mtime = os.stat(path).st_mtime_ns
    except OSError:
        mtime = 0  # the loader raises GradingSpecError naming the file
    return _spec_at(path, mtime)
