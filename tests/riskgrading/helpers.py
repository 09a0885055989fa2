"""Shared helpers for the risk-grading tests."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from foodsafe.riskgrading.models import Checklist, Grading
from foodsafe.riskgrading.services import checklist_record
from foodsafe.riskgrading.spec import GradingSpec, load_grading_spec
from tests.conftest import SUB_A
from tests.factories import FoodBusinessFactory

NATIONAL = Path("foodsafe/riskgrading/specs/national-2016.yaml")


def national() -> GradingSpec:
    return load_grading_spec(NATIONAL)


def record_checklist(
    business,
    *,
    failed: tuple[str, ...] = (),
    on: date = date(2021, 6, 1),
    actor=None,
    obstructed: bool = False,
    spec: GradingSpec | None = None,
) -> Checklist:
    """A checklist of ``business``'s sector with ``failed`` items 不符合 and the rest 符合."""
    spec = spec or national()
    checklist = spec.checklist_for(business.sector)
    assert checklist is not None
    answers = {
        i.code: (
            {"answer": "no", "note": f"问题 {i.code}"} if i.code in failed else {"answer": "yes"}
        )
        for i in checklist.items
    }
    return checklist_record(
        business=business,
        spec=spec,
        inspected_on=on,
        inspection_type="routine",
        answers=answers,
        inspectors=(("张检查", "JC-001"), ("李检查", "JC-002")),
        signed_by="王店长",
        refused=False,
        refusal_note="",
        obstructed=obstructed,
        actor=actor,
    )


def presuming(spec: GradingSpec) -> GradingSpec:
    """``spec`` with presumption switched on (format tier for the static score, dynamic counted
    as ``new_operator.dynamic_assumed`` for an older operator with no checklist): the explicit
    setting a district may choose; the national scheme does not presume."""
    on = spec.presumption.model_copy(
        update={"static_from_format": True, "dynamic_without_checklist": True}
    )
    return spec.model_copy(update={"presumption": on})


def business(**kw):
    """An operator in subdistrict A, open since 2015 unless told otherwise."""
    kw.setdefault("org_unit_id", SUB_A)
    kw.setdefault("opened_on", date(2015, 3, 1))
    return FoodBusinessFactory(**kw)


def graded(b, year=2021) -> Grading:
    return Grading.objects.get(business=b, year=year)
