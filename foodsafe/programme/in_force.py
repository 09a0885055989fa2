"""The programme spec in force (现行实施方案): the one place every page, command and report
loads it from.

The file is ``settings.FOODSAFE_PROGRAMME_SPEC``; it is read again when it changes on disk (its
modification time is part of the cache key), so an office that edits the YAML needs no restart.
Its indicators name metrics, which the scorecard registers; the programme sits below the
scorecard (DESIGN.md "Layers"), so the scorecard hands its metric names in at start-up
(:func:`use_metric_names`, called from ``ScorecardConfig.ready``) instead of this module
importing it. The names are read on the first load, not at start-up: registering the metrics
imports the analytics stack.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from functools import lru_cache

from django.conf import settings

from .spec import ProgrammeSpec, load_programme_spec

_metric_names: Callable[[], set[str]] | None = None


def use_metric_names(provider: Callable[[], set[str]]) -> None:
    """Check every indicator's ``metric`` of the spec in force against ``provider()``."""
    global _metric_names
    _metric_names = provider
    _spec_at.cache_clear()


def metric_names() -> set[str] | None:
    """The registered metric names a spec's indicators may use (``None``: the scorecard app is
    not installed, so the names are not checked)."""
    return _metric_names() if _metric_names is not None else None


@lru_cache(maxsize=4)
def _spec_at(path: str, mtime_ns: int) -> ProgrammeSpec:
    return load_programme_spec(path, known_metrics=metric_names())


def programme_spec() -> ProgrammeSpec:
    """The programme spec at ``settings.FOODSAFE_PROGRAMME_SPEC``, checked against the
    registered metrics and re-read when the file changes.

    Raises :class:`~foodsafe.programme.spec.ProgrammeSpecError` for a bad spec, naming the file
    and the key.
    """
    path = str(settings.FOODSAFE_PROGRAMME_SPEC)
    try:
        mtime = os.stat(path).st_mtime_ns
    except OSError:
        mtime = 0  # the loader raises ProgrammeSpecError naming the file
    return _spec_at(path, mtime)
