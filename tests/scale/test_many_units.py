"""Many units in one evaluation give what each unit gives alone, with no query per unit.

``run_measures`` groups a relation by each row's own org-unit code and adds the groups up per
subtree; these tests check that against a brute-force count per prefix, and check that a whole
jurisdiction evaluated at once equals its units evaluated one by one (vetoes included).
"""

from __future__ import annotations

import random
from datetime import date
from decimal import Decimal

import ibis
import pandas as pd
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from foodsafe.orgunits.models import OrgUnit
from foodsafe.programme.in_force import programme_spec
from foodsafe.programme.models import VetoFinding
from foodsafe.scorecard.context import Measure
from foodsafe.scorecard.engine import evaluate_scorecard, evaluate_scorecards
from foodsafe.scorecard.measures import outermost, run_measures
from foodsafe.synthetic.services import synthetic_generate
from tests.factories import IncidentFactory

CODES = [
    "120101001000", "120101001001", "120101002000", "120102001000", "120102003000",
    "120200001000", "120101000000", "130101001000",
]  # fmt: skip
PREFIXES = ["12", "1201", "1202", "120101", "120102", "120101001", "120102003", "99"]


@pytest.fixture(scope="module")
def rows():
    rng = random.Random(5)
    n = 400
    return pd.DataFrame(
        {
            "id": range(n),
            "unit_code": [rng.choice(CODES) for _ in range(n)],
            "kind": [rng.choice(["a", "b", "c", None]) for _ in range(n)],
            "tonnes": [Decimal(rng.randint(0, 9999)) / 1000 for _ in range(n)],
            "flag": [rng.random() < 0.3 for _ in range(n)],
        }
    )


def brute(frame: pd.DataFrame, prefix: str) -> pd.DataFrame:
    return frame[frame.unit_code.str.startswith(prefix)]


@pytest.mark.parametrize("join_subqueries", [False, True])
def test_rolled_up_measures_equal_a_count_per_prefix(rows, tmp_path, join_subqueries):
    con = ibis.duckdb.connect()
    rows.to_parquet(tmp_path / "ledger.parquet")
    pd.DataFrame({"ref": list(range(0, 400, 3))}).to_parquet(tmp_path / "picked.parquet")
    t = con.read_parquet(tmp_path / "ledger.parquet", table_name="ledger")
    picked = con.read_parquet(tmp_path / "picked.parquet", table_name="picked")
    count = Measure(t, where=t.flag)
    total = Measure(t, "sum", t.kind == "a", "tonnes")
    never = Measure(t, "sum", t.kind == "zzz", "tonnes")
    kinds = Measure(t, "nunique", ~t.flag, "kind")
    inside = Measure(t, where=t.id.isin(picked.ref) & (t.kind != "c"))
    values = run_measures(
        con, [count, total, never, kinds, inside], PREFIXES, join_subqueries=join_subqueries
    )
    for prefix in PREFIXES:
        sub = brute(rows, prefix)
        assert values[(id(count), prefix)] == int(sub.flag.sum()), prefix
        expected = sub[sub.kind == "a"].tonnes.sum() if (sub.kind == "a").any() else None
        assert values[(id(total), prefix)] == expected, prefix
        assert values[(id(never), prefix)] is None
        assert values[(id(kinds), prefix)] == int(sub[~sub.flag].kind.dropna().nunique()), prefix
        chosen = sub[(sub.id % 3 == 0) & (sub.kind != "c") & sub.kind.notna()]
        assert values[(id(inside), prefix)] == len(chosen), prefix


def test_outermost_prefixes():
    assert outermost(["120101", "1201", "120101001", "1301"]) == ["1201", "1301"]
    assert outermost([]) == []


@pytest.fixture
def jurisdiction(db):
    report = synthetic_generate(population=30_000, seed=3)
    units = list(OrgUnit.objects.filter(code__startswith=report.code[:6]).order_by("level", "code"))
    top, first, second = units[0], units[1], units[2]
    IncidentFactory(
        org_unit=first, severity="II", occurred_on=date(2021, 3, 1), incident_number="SJ-A"
    )
    IncidentFactory(
        org_unit=second, severity="I", occurred_on=date(2020, 6, 1), incident_number="SJ-B"
    )
    spec = programme_spec()
    finding = next(v.code for v in spec.vetoes if v.rule == "finding")
    for unit, vetoed in ((top, False), (second, True)):
        VetoFinding.objects.create(
            programme_code=spec.programme.code, veto_code=finding, org_unit=unit, year=2021,
            vetoed=vetoed, basis=f"认定 {unit.code}",
        )  # fmt: skip
    return spec, [u.code for u in units]


def test_all_units_at_once_equal_each_unit_alone(jurisdiction):
    spec, codes = jurisdiction
    together = evaluate_scorecards(spec=spec, org_units=codes, period="2021")
    alone = [evaluate_scorecard(spec=spec, org_unit=code, period="2021") for code in codes]
    assert together == alone
    top = {v.code: v for v in together[0].vetoes}
    assert "SJ-A" in top["veto_major_incident"].basis and "SJ-B" in top["veto_major_incident"].basis
    assert "SJ-B" not in {v.code: v for v in together[1].vetoes}["veto_major_incident"].basis


def test_no_database_query_per_unit(jurisdiction):
    spec, codes = jurisdiction
    with CaptureQueriesContext(connection) as one:
        evaluate_scorecards(spec=spec, org_units=codes[:1], period="2021")
    with CaptureQueriesContext(connection) as every:
        evaluate_scorecards(spec=spec, org_units=codes, period="2021")
    assert len(every) == len(one)
