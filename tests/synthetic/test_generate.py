"""``foodsafe generate`` against the database: writing, --replace, Parquet and DuckDB."""

from __future__ import annotations

from io import StringIO

import pyarrow.parquet as pq
import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from foodsafe.orgunits.models import OrgUnit, Population
from foodsafe.programme.in_force import programme_spec
from foodsafe.registry.models import FoodBusiness
from foodsafe.scorecard.engine import evaluate_scorecard
from foodsafe.synthetic.parquet import duckdb_backend, export_parquet
from foodsafe.synthetic.scope import LEDGER_MODELS, scope_sql
from foodsafe.synthetic.services import synthetic_generate
from foodsafe.synthetic.writer import JurisdictionExists
from tests.factories import OrgUnitFactory

POPULATION = 30_000


def rows_under(prefix: str) -> dict[str, list[tuple]]:
    """Every ledger row under ``prefix`` as sorted tuples, ids replaced by natural keys."""
    q = connection.ops.quote_name
    natural = {
        "registry_foodbusiness": "registry_number",
        "inspections_inspection": "inspection_number",
        "sampling_samplingbatch": "sample_number",
        "workforce_staffmember": "staff_number",
        "grain_grainstock": "depot_code",
        "sentinels_sentinelinstitution": "code",  # issue 19
    }
    keys: dict[str, dict[int, str]] = {}
    out = {}
    with connection.cursor() as cur:
        for model in LEDGER_MODELS:
            table = model._meta.db_table
            fields = [f for f in model._meta.concrete_fields if f.column != "id"]
            cols = ", ".join(q(f.column) for f in fields)
            cur.execute(
                f"SELECT {q('id')}, {cols} FROM {q(table)} WHERE {scope_sql(model, q)}",  # noqa: S608
                [prefix + "%"],
            )
            result = cur.fetchall()
            if table in natural:
                at = [f.column for f in fields].index(natural[table]) + 1
                keys[table] = {r[0]: r[at] for r in result}
            converted = []
            for r in result:
                values = list(r[1:])
                for i, f in enumerate(fields):
                    if f.is_relation and f.column.endswith("_id") and values[i] is not None:
                        values[i] = keys[f.related_model._meta.db_table][values[i]]
                    elif f.get_internal_type() == "DecimalField" and values[i] is not None:
                        values[i] = round(float(values[i]), f.decimal_places)
                converted.append(tuple(str(v) for v in values))
            out[table] = sorted(converted)
    return out


@pytest.fixture
def generated(db, tmp_path):
    report = synthetic_generate(population=POPULATION, seed=11, parquet_dir=tmp_path / "pq")
    return report, tmp_path / "pq"


def test_generate_writes_every_table_and_population(generated):
    report, _ = generated
    top = OrgUnit.objects.get(code=report.code)
    assert top.is_example and top.name.endswith("（合成）")
    assert Population.objects.get(org_unit=top, year=2021).resident_population == POPULATION
    assert Population.objects.get(org_unit=top, year=2020).resident_population == POPULATION
    prefix = top.prefix
    for table, n in report.rows.items():
        # incidents are rare; the grade ledger is filled by grading the city, not generated
        assert n > 0 or table in ("incidents_incident", "registry_riskgrade"), table
    assert (
        FoodBusiness.objects.filter(org_unit__code__startswith=prefix).count()
        == report.rows["registry_foodbusiness"]
    )


def test_existing_jurisdiction_is_refused_then_replaced_identically(generated):
    report, _ = generated
    OrgUnitFactory(code="120101000000", name="和平区（示例）", is_example=True)
    FoodBusiness.objects.create(
        registry_number="REAL-1", name="真实经营者", sector="sales", business_format="grocery",
        org_unit_id="120101000000",
    )  # fmt: skip
    before = rows_under(OrgUnit.objects.get(code=report.code).prefix)
    with pytest.raises(JurisdictionExists, match="--replace"):
        synthetic_generate(population=POPULATION, seed=11)
    with pytest.raises(CommandError, match="--replace"):
        call_command("generate", population=POPULATION, seed=11, stdout=StringIO())
    again = synthetic_generate(population=POPULATION, seed=11, replace=True)
    assert again.deleted == sum(report.rows.values())
    assert again.rows == report.rows
    assert rows_under(OrgUnit.objects.get(code=report.code).prefix) == before
    assert FoodBusiness.objects.filter(registry_number="REAL-1").exists()
    assert OrgUnit.objects.filter(code__startswith="9").count() == report.rows["orgunits_orgunit"]


def test_replace_never_deletes_another_jurisdiction(generated):
    report, _ = generated
    unit = OrgUnit.objects.get(code=report.code)
    unit.name = "别的辖区（合成）"
    unit.save()
    with pytest.raises(JurisdictionExists, match="占用"):
        synthetic_generate(population=POPULATION, seed=11, replace=True)


def test_parquet_round_trips_counts_columns_and_types(generated):
    report, directory = generated
    for model in LEDGER_MODELS:
        table = model._meta.db_table
        pf = pq.read_table(directory / f"{table}.parquet")
        assert pf.num_rows == report.rows[table], table
        assert pf.column_names == [f.column for f in model._meta.concrete_fields], table
        for f in model._meta.concrete_fields:
            if f.get_internal_type() == "DateField":
                assert str(pf.schema.field(f.column).type) == "date32[day]"
    again = export_parquet(directory=directory / "all")
    assert again["registry_foodbusiness"] == FoodBusiness.objects.count()


def test_scorecard_on_duckdb_equals_scorecard_on_django(generated):
    report, directory = generated
    spec = programme_spec()
    for period in ("2021", "2021S2", "2020"):
        on_db = evaluate_scorecard(spec=spec, org_unit=report.code, period=period)
        on_duck = evaluate_scorecard(
            spec=spec, org_unit=report.code, period=period, backend=duckdb_backend(directory)
        )
        for a, b in zip(on_db.indicators, on_duck.indicators, strict=True):
            assert (a.code, a.numerator, a.denominator) == (b.code, b.numerator, b.denominator)
        assert [v.status for v in on_db.vetoes] == [v.status for v in on_duck.vetoes]
    data = {i.code: i for i in on_db.indicators}
    assert data["sampling_per_thousand"].denominator == POPULATION


def test_command_prints_summary(db, tmp_path):
    out = StringIO()
    call_command("generate", population=20_000, seed=2, name="测试合成区", stdout=out)
    text = out.getvalue()
    assert "测试合成区（合成）" in text and "registry_foodbusiness" in text
    with pytest.raises(CommandError, match="at least 1000"):
        call_command("generate", population=10, seed=2, stdout=StringIO())
