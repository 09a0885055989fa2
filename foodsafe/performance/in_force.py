"""The assessment spec in force: ``settings.FOODSAFE_ASSESSMENT_SPEC``, re-read when the file
changes."""

from __future__ import annotations

import functools
import os

from django.conf import settings

from .spec import AssessmentSpec, load_assessment_spec


@functools.lru_cache(maxsize=4)
def _spec_at(path: str, mtime_ns: int) -> AssessmentSpec:
    return load_assessment_spec(path)


def assessment_spec() -> AssessmentSpec:
    """The spec at ``settings.FOODSAFE_ASSESSMENT_SPEC``; raises ``AssessmentSpecError``."""
    path = str(settings.FOODSAFE_ASSESSMENT_SPEC)
    try:
        mtime = os.stat(path).st_mtime_ns
    except OSError:
        mtime = 0  # the loader raises AssessmentSpecError naming the file
    return _spec_at(path, mtime)
