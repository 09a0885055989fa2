"""Evaluated scorecards kept for the web pages, keyed by what they were computed from.

A dashboard draws its unit's year as of every month end: twelve engine runs, about 25 s for a
city of 10 M residents on SQLite (docs/performance.md), and twenty people opening it at once
would queue behind each other. :func:`cached_scorecards` keeps the result of
``evaluate_scorecards`` for ``settings.FOODSAFE_SCORECARD_CACHE_SECONDS`` (0, the default, turns
it off) in Django's cache, under a key made of

- the programme spec (sha256 of its JSON), the org units, the period and the as-of date;
- a **data version**: in one query, the highest primary key of every table the scorecard can
  read — ledgers, org units and population, programme items and veto findings, evidence,
  zero reports and import logs — and of their history tables. django-simple-history writes a history row for
  every create, change and delete made through the ORM (the imports copy theirs in bulk), and
  new rows get new ids, so any change made through the application is a new key and a cached
  card is never served stale. A change made by hand in SQL that neither adds a row nor leaves a
  history row would not be seen; the time limit bounds that.

Without the setting the function is ``evaluate_scorecards`` itself (tests, the CLI).
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections.abc import Sequence
from datetime import date
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.db import connection, models

from foodsafe.programme.spec import ProgrammeSpec

from .periods import Period, default_as_of, parse_period
from .results import Scorecard

#: Apps whose tables a scorecard reads (directly, or through the programme and evidence);
#: ``samplingplan`` because the dashboard page, cached on this version, shows the plan in force;
#: ``credit`` for item 25 (files, their entries, the monthly classes: a refresh or a confirmed
#: class changes the scorecard).
SOURCE_APPS = (
    "orgunits", "registry", "inspections", "sampling", "enforcement", "complaints", "workforce",
    "schools", "grain", "selfinspections", "surveys", "incidents", "insurance", "handlers",
    "emergency", "sentinels", "programme", "evidence", "imports", "completeness", "samplingplan",
    "credit",
)  # fmt: skip

# One evaluation per key at a time in this process: the first request computes, the others
# wait for its result instead of computing the same cards again.
_LOCKS = [threading.Lock() for _ in range(64)]


def _versioned_tables(labels: Sequence[str] = SOURCE_APPS) -> list[tuple[str, str]]:
    """(table, integer primary key column) of every concrete model of the apps ``labels``."""
    out = []
    for label in labels:
        for model in apps.get_app_config(label).get_models():
            pk = model._meta.pk
            if model._meta.managed and not model._meta.proxy and pk is not None:
                if isinstance(pk, models.AutoField | models.BigAutoField):
                    out.append((model._meta.db_table, str(pk.column)))
    return sorted(out)


def data_version(labels: Sequence[str] = SOURCE_APPS) -> str:
    """The highest primary key of every table (history tables included) of the apps
    ``labels`` (default: the scorecard's sources), in one query."""
    q = connection.ops.quote_name
    tables = _versioned_tables(labels)
    # Names from model meta, no user input.
    parts = [f"(SELECT MAX({q(pk)}) FROM {q(table)})" for table, pk in tables]  # noqa: S608
    with connection.cursor() as cur:
        cur.execute("SELECT " + ", ".join(parts))
        row = cur.fetchone()
    return ",".join("" if v is None else str(v) for v in row)


def scorecards_key(
    *, spec: ProgrammeSpec, org_units: Sequence[str], period: Period, as_of: date, version: str
) -> str:
    digest = hashlib.sha256()
    digest.update(spec.model_dump_json().encode())
    digest.update(json.dumps([list(org_units), period.code, as_of.isoformat(), version]).encode())
    return f"foodsafe:scorecards:{digest.hexdigest()}"


def _cached(key: str, seconds: int, compute: Any) -> Any:
    found: Any = cache.get(key)
    if found is not None:
        return found
    with _LOCKS[hash(key) % len(_LOCKS)]:
        found = cache.get(key)
        if found is not None:
            return found
        value = compute()
        cache.set(key, value, seconds)
    return value


def cached_months(
    *,
    spec: ProgrammeSpec,
    org_units: Sequence[str],
    year: int,
    through: date,
    last_only: Sequence[str] = (),
) -> dict[date, list[Scorecard]]:
    """``months.evaluate_months`` on Django's database, kept as :func:`cached_scorecards`."""
    from . import months  # the engine and the analytics stack only when computing

    def compute() -> dict[date, list[Scorecard]]:
        return months.evaluate_months(
            spec=spec, org_units=org_units, year=year, through=through, last_only=last_only
        )

    seconds: int = getattr(settings, "FOODSAFE_SCORECARD_CACHE_SECONDS", 0)
    if seconds <= 0:
        return compute()
    digest = hashlib.sha256()
    digest.update(spec.model_dump_json().encode())
    digest.update(
        json.dumps(
            [list(org_units), year, through.isoformat(), list(last_only), data_version()]
        ).encode()
    )
    return dict(_cached(f"foodsafe:months:{digest.hexdigest()}", seconds, compute))


def cached_scorecards(
    *,
    spec: ProgrammeSpec,
    org_units: Sequence[str],
    period: str | Period,
    as_of: date | None = None,
) -> list[Scorecard]:
    """``engine.evaluate_scorecards`` on Django's database, kept as the module docstring says.

    Same arguments, result and errors (``UnknownOrgUnit``, ``PeriodError``).
    """
    # The engine (Ibis, pandas: about a second) loads with the first scorecard computed, not
    # when the URL conf imports the pages that call this (issue 11 §2).
    from . import engine

    seconds: int = getattr(settings, "FOODSAFE_SCORECARD_CACHE_SECONDS", 0)
    if seconds <= 0:
        return engine.evaluate_scorecards(
            spec=spec, org_units=org_units, period=period, as_of=as_of
        )
    period_obj = period if isinstance(period, Period) else parse_period(period)
    as_of = as_of or default_as_of(period_obj)
    key = scorecards_key(
        spec=spec, org_units=org_units, period=period_obj, as_of=as_of, version=data_version()
    )
    found: Any = cache.get(key)
    if found is not None:
        return list(found)
    with _LOCKS[hash(key) % len(_LOCKS)]:
        found = cache.get(key)
        if found is not None:
            return list(found)
        cards = engine.evaluate_scorecards(
            spec=spec, org_units=org_units, period=period_obj, as_of=as_of
        )
        cache.set(key, cards, seconds)
    return cards
