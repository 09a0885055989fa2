"""Shared fixtures: the org-unit tree every scorecard test uses, named personas and the one fake
scorecard engine (``fake_engine``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest

from tests.factories import OrgUnitFactory

DISTRICT = "120101000000"


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Tests create many users; the production hasher is slow on purpose."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _private_cache(settings):
    """The site's cache is files shared by every worker (settings.CACHES); a test gets its own
    empty in-memory one, since database ids repeat from test to test and a cached scorecard of
    one test must never answer another's."""
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _fresh_working_day_calendar():
    """The working-day calendar is held in memory per revision; a test that loaded a holiday
    arrangement was rolled back, so no test starts from another's calendar."""
    from foodsafe.workdays import calendar

    calendar.forget()
    yield
    calendar.forget()


@pytest.fixture(autouse=True)
def _seeded_calendar_after_flush(request):
    """A transactional test (live server, browser) ends by flushing every table, the seeded
    holiday arrangements (migration workdays 0002) included, so the next one would count
    2021's National Day as ordinary days. Re-seed with the migration's own function."""
    if "transactional_db" not in request.fixturenames and "live_server" not in request.fixturenames:
        return
    request.getfixturevalue("transactional_db")
    import importlib

    from django.apps import apps

    from foodsafe.workdays import calendar

    importlib.import_module("foodsafe.workdays.migrations.0002_seed").seed(apps, None)
    calendar.forget()


SUB_A = "120101001000"
SUB_B = "120101002000"


@pytest.fixture
def district(db):
    """和平区 (test) with two subdistricts A and B; returns the district."""
    OrgUnitFactory(code="120000000000", name="天津市（测试）")
    OrgUnitFactory(code="120100000000", name="市辖区（测试）", parent_id="120000000000")
    d = OrgUnitFactory(code=DISTRICT, name="和平区（测试）", parent_id="120100000000")
    OrgUnitFactory(code=SUB_A, name="A街道（测试）", parent_id=DISTRICT)
    OrgUnitFactory(code=SUB_B, name="B街道（测试）", parent_id=DISTRICT)
    return d


@pytest.fixture
def office_user(db, django_user_model):
    """A programme-office (创城办) user with the office-admin role."""
    from foodsafe.accounts.models import Profile

    user = django_user_model.objects.create_user("office", password="office-pass-123")
    Profile.objects.create(user=user, role="office_admin")
    return user


# -- personas (STYLE.md: one base of named personas used everywhere) ------------------------


def _persona(django_user_model, username: str, role: str | None, unit_code: str | None = None):
    from foodsafe.accounts.models import Profile
    from foodsafe.orgunits.models import ResponsibleUnit

    user = django_user_model.objects.create_user(username, password=f"{username}-pass-123")
    if role is not None:
        unit = None
        if unit_code is not None:
            unit, _ = ResponsibleUnit.objects.get_or_create(
                code=unit_code, defaults={"name": UNIT_NAMES[unit_code]}
            )
        Profile.objects.create(user=user, role=role, responsible_unit=unit)
    return user


UNIT_NAMES = {"market-regulation": "区市场监管局", "education": "区教育局"}


@pytest.fixture
def office_admin(db, django_user_model):
    """创城办 administrator: sees and manages everything."""
    return _persona(django_user_model, "office_admin", "office_admin")


@pytest.fixture
def market_user(db, django_user_model):
    """A member-unit user of 区市场监管局 (code market-regulation)."""
    return _persona(django_user_model, "market_user", "member_unit", "market-regulation")


@pytest.fixture
def education_user(db, django_user_model):
    """A member-unit user of 区教育局 (code education): another unit."""
    return _persona(django_user_model, "education_user", "member_unit", "education")


@pytest.fixture
def inspector(db, django_user_model):
    return _persona(django_user_model, "inspector", "inspector")


@pytest.fixture
def reviewer(db, django_user_model):
    """An expert reviewer (评审专家)."""
    return _persona(django_user_model, "reviewer", "reviewer")


@pytest.fixture
def outsider(db, django_user_model):
    """A logged-in user with no role at all."""
    return _persona(django_user_model, "outsider", None)


@pytest.fixture
def complaint_handler(db, django_user_model):
    """An inspector in the group 投诉举报处理人员: may reveal one complaint's personal data at a
    time (each reveal recorded)."""
    from foodsafe.accounts.services import complaint_handler_join

    user = _persona(django_user_model, "complaint_handler", "inspector")
    complaint_handler_join(user)
    return user


@dataclass(frozen=True)
class EngineCall:
    """One scorecard the fake engine was asked for."""

    org_unit: str
    period: str
    as_of: Any


@dataclass
class FakeEngine:
    """What :func:`fake_engine` records; ``example = False`` gives cards not marked 示例数据."""

    calls: list[EngineCall] = field(default_factory=list)
    example: bool = True


@pytest.fixture
def fake_engine(monkeypatch, district):
    """The scorecard engine without ledgers: ``evaluate_scorecards``, ``evaluate_scorecard`` and
    the dashboard's ``months.evaluate_months`` return the hand-built example scorecard (``foodsafe.reports.sample``: 13 indicators, 8 met,
    4 not met, 1 no data; 5 veto items) of each unit asked for, named as in the org-unit table,
    and raise ``UnknownOrgUnit`` for a code not in it, as the engine does. Every unit and period
    asked for is recorded in ``.calls``."""
    from foodsafe.orgunits.models import OrgUnit
    from foodsafe.reports.sample import sample_scorecard
    from foodsafe.scorecard import engine, months
    from foodsafe.scorecard.periods import Period, month_ends

    fake = FakeEngine()

    def card(org_unit: str, period: Any, as_of: Any) -> Any:
        code = period.code if isinstance(period, Period) else str(period)
        unit = OrgUnit.objects.filter(code=org_unit).first()
        if unit is None:
            raise engine.UnknownOrgUnit(org_unit)
        fake.calls.append(EngineCall(org_unit, code, as_of))
        return sample_scorecard(
            org_code=org_unit, org_name=unit.name, period=code, is_example=fake.example
        )

    def evaluate_scorecards(*, spec, org_units, period, as_of=None, backend=None):
        return [card(unit, period, as_of) for unit in org_units]

    def evaluate_scorecard(*, spec, org_unit, period, as_of=None, backend=None):
        return card(org_unit, period, as_of)

    def evaluate_months(*, spec, org_units, year, through, last_only=(), **_):
        ends = month_ends(year, through)
        return {
            end: [
                card(unit, str(year), end)
                for unit in org_units
                if end == ends[-1] or unit not in last_only
            ]
            for end in ends
        }

    monkeypatch.setattr(engine, "evaluate_scorecards", evaluate_scorecards)
    monkeypatch.setattr(engine, "evaluate_scorecard", evaluate_scorecard)
    monkeypatch.setattr(months, "evaluate_months", evaluate_months)
    return fake
