"""The credit class spec in force: ``settings.FOODSAFE_CREDIT_SPEC``, re-read when the file changes."""

from __future__ import annotations

import functools
import os

from django.conf import settings

from .spec import CreditSpec, load_credit_spec


@functools.lru_cache(maxsize=4)
def _spec_at(path: str, mtime_ns: int) -> CreditSpec:
    return load_credit_spec(path)


def credit_spec() -> CreditSpec:
    """The credit class spec at ``settings.FOODSAFE_CREDIT_SPEC`` (re-read when the file changes).

    Raises :class:`~foodsafe.inspectionplan.spec.CreditSpecError` for a bad spec.
    """
    path = str(settings.FOODSAFE_CREDIT_SPEC)
    try:
        mtime = os.stat(path).st_mtime_ns
    except OSError:
        mtime = 0  # the loader raises CreditSpecError naming the file
    return _spec_at(path, mtime)
