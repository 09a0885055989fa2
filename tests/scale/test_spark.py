"""The scorecard on PySpark (local mode) over a Parquet export equals the Django database's.

The same Ibis metric definitions, no Spark-specific code: what a province or the nation would
run on a cluster (docs/performance.md). Marked slow: a JVM starts. Skipped with the reason when
the ``spark`` extra or Java is missing; ``.ci/run`` installs both.
"""

from __future__ import annotations

import importlib.util
import shutil
from datetime import date

import pytest

from foodsafe.orgunits.models import OrgUnit
from foodsafe.programme.in_force import programme_spec
from foodsafe.programme.models import VetoFinding
from foodsafe.scorecard.engine import evaluate_scorecards
from foodsafe.synthetic.parquet import export_parquet
from foodsafe.synthetic.services import synthetic_generate
from tests.factories import IncidentFactory

pytestmark = [
    pytest.mark.slow,
    # pyspark 4.0 on pandas 3: a deprecation inside pyspark's Arrow conversion, not ours.
    pytest.mark.filterwarnings("ignore:The copy keyword is deprecated"),
    pytest.mark.skipif(
        importlib.util.find_spec("pyspark") is None,
        reason="pyspark is not installed: uv sync --extra spark (the 'spark' extra)",
    ),
    pytest.mark.skipif(
        shutil.which("java") is None,
        reason="no java on PATH: apt-get install default-jre-headless (Java 17)",
    ),
]


@pytest.fixture(scope="module")
def spark():
    from foodsafe.synthetic.parquet import spark_session

    session = spark_session("local[2]")
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


def test_scorecard_on_spark_equals_scorecard_on_django(db, tmp_path, spark):
    from foodsafe.synthetic.parquet import spark_backend

    report = synthetic_generate(population=30_000, seed=5)
    units = list(OrgUnit.objects.filter(code__startswith=report.code[:6]).order_by("level", "code"))
    # Vetoes that read the ledgers too: an incident (incident rule) and a finding.
    IncidentFactory(org_unit=units[1], severity="II", occurred_on=date(2021, 4, 2))
    spec = programme_spec()
    VetoFinding.objects.create(
        programme_code=spec.programme.code,
        veto_code=next(v.code for v in spec.vetoes if v.rule == "finding"),
        org_unit=units[0], year=2021, vetoed=False, basis="认定",
    )  # fmt: skip
    export_parquet(directory=tmp_path, prefix=report.code[:6])
    codes = [u.code for u in units]

    on_db = evaluate_scorecards(spec=spec, org_units=codes, period="2021")
    on_spark = evaluate_scorecards(
        spec=spec, org_units=codes, period="2021", backend=spark_backend(tmp_path, spark)
    )

    for db_card, spark_card in zip(on_db, on_spark, strict=True):
        assert [(i.code, i.numerator, i.denominator) for i in spark_card.indicators] == [
            (i.code, i.numerator, i.denominator) for i in db_card.indicators
        ], db_card.org_unit.code
        assert [(v.code, v.status, v.basis) for v in spark_card.vetoes] == [
            (v.code, v.status, v.basis) for v in db_card.vetoes
        ]
    assert any(i.numerator for i in on_spark[0].indicators)  # real data, not all zeros
