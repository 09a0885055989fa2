"""Ledger tables as Parquet files, and an Ibis DuckDB backend over them.

``export_parquet`` writes one file per ledger table, named after the Django table
(``registry_foodbusiness.parquet``…), with the database's column names and Arrow types that
match the column types: integers by width, ``date32`` for dates, ``decimal128(p, s)`` for
decimals, ``bool``, ``string``. The scorecard engine then runs unchanged on
``duckdb_backend(directory)`` or ``spark_backend(directory)`` (its org units still come from the
Django ORM). See docs/performance.md for Spark on a cluster.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any, cast

import pyarrow as pa
import pyarrow.parquet as pq
from django.db import connection, models, transaction

from foodsafe.complaints.masking import PERSONAL_FIELDS, mask_field
from foodsafe.complaints.models import Complaint

from .scope import CREDIT_EXPORTED, LEDGER_MODELS, scope_sql
from .tables import column_of

BATCH_ROWS = 100_000

_INT_TYPES = {
    "AutoField": pa.int32(),
    "SmallAutoField": pa.int16(),
    "BigAutoField": pa.int64(),
    "SmallIntegerField": pa.int16(),
    "PositiveSmallIntegerField": pa.int16(),
    "IntegerField": pa.int32(),
    "PositiveIntegerField": pa.int32(),
    "BigIntegerField": pa.int64(),
    "PositiveBigIntegerField": pa.int64(),
}


def arrow_type(field: models.Field) -> pa.DataType:
    """The Arrow type of a Django field's column."""
    if field.is_relation:
        return arrow_type(cast(Any, field).target_field)
    kind = field.get_internal_type()
    if kind in _INT_TYPES:
        return _INT_TYPES[kind]
    if kind == "BooleanField":
        return pa.bool_()
    if kind == "DateField":
        return pa.date32()
    if kind == "DateTimeField":
        return pa.timestamp("us", tz="UTC")
    if kind == "DecimalField":
        decimal = cast(models.DecimalField, field)
        return pa.decimal128(decimal.max_digits, decimal.decimal_places)
    if kind == "FloatField":
        return pa.float64()
    return pa.string()


def arrow_schema(model: type[models.Model]) -> pa.Schema:
    return pa.schema([(f.column, arrow_type(f)) for f in model._meta.concrete_fields])


def _array(values: list, field: models.Field, typ: pa.DataType) -> pa.Array:
    sample = next((v for v in values if v is not None), None)
    if pa.types.is_date32(typ) and isinstance(sample, str):  # SQLite keeps ISO text
        return pa.array(values, pa.string()).cast(typ)
    if pa.types.is_boolean(typ) and isinstance(sample, int) and not isinstance(sample, bool):
        return pa.array(values, pa.int64()).cast(typ)
    if pa.types.is_decimal(typ) and sample is not None and not isinstance(sample, Decimal):
        quantum = Decimal(1).scaleb(-cast(models.DecimalField, field).decimal_places)
        values = [None if v is None else Decimal(repr(v)).quantize(quantum) for v in values]
    return pa.array(values, typ)


def export_table(model: type[models.Model], path: Path, prefix: str = "") -> int:
    """Stream ``model``'s rows under ``prefix`` ('' = all) into ``path``; returns the row count."""
    fields = list(model._meta.concrete_fields)
    schema = arrow_schema(model)
    vendor = connection.vendor
    mark = "?" if vendor == "sqlite" else "%s"
    q = connection.ops.quote_name
    columns = ", ".join(q(column_of(f)) for f in fields)
    sql = f"SELECT {columns} FROM {q(model._meta.db_table)}"  # noqa: S608 (names from model meta)
    params: list[Any] = []
    if prefix:
        sql += f" WHERE {scope_sql(model, q, mark)}"
        params.append(prefix + "%")
    sql += f" ORDER BY {q('id')}"
    rows = 0
    partial = path.with_name(f".{path.name}.part")
    with transaction.atomic():
        connection.ensure_connection()
        raw = connection.connection
        cur = raw.cursor(name="foodsafe_export") if vendor == "postgresql" else raw.cursor()
        try:
            cur.execute(sql, params)
            with pq.ParquetWriter(partial, schema) as writer:
                while True:
                    batch = cur.fetchmany(BATCH_ROWS)
                    if not batch and rows:
                        break
                    cols: list[Sequence[Any]] = (
                        list(zip(*batch, strict=True)) if batch else [[] for _ in fields]
                    )
                    arrays = [
                        _array(_masked(model, f, list(c)), f, schema.field(i).type)
                        for i, (c, f) in enumerate(zip(cols, fields, strict=True))
                    ]
                    writer.write_batch(pa.RecordBatch.from_arrays(arrays, schema=schema))
                    rows += len(batch)
                    if not batch:
                        break
        finally:
            cur.close()
    partial.replace(path)
    return rows


def _masked(model: type[models.Model], field: models.Field, values: list) -> list:
    """A column's values, masked when it holds personal data (a complainant's name or phone:
    the scorecard never reads them, and an export file travels further than the database)."""
    if model is not Complaint or field.name not in PERSONAL_FIELDS:
        return values
    return [None if v is None else mask_field(field.name, v) for v in values]


def input_models() -> list[type[models.Model]]:
    """The models behind the scorecard's other inputs (evidence approvals, veto findings, zero
    reports: ``scorecard.inputs.INPUT_TABLES``), found by table name so that this module does not
    import the workflow apps that own them."""
    from django.apps import apps

    from foodsafe.scorecard.inputs import INPUT_TABLES

    by_table = {m._meta.db_table: m for m in apps.get_models()}
    return [by_table[name] for name in INPUT_TABLES.values()]


def export_parquet(*, directory: Path | str, prefix: str = "") -> dict[str, int]:
    """Export every ledger table's rows under the org-unit ``prefix`` ('' = everything), and the
    scorecard's input tables whole.

    The input tables are small (one row per evidence file, finding, zero report) and are not
    cut by ``prefix``: a district's zero report covers its subdistricts, and the scorecard picks
    what counts for a scope itself. Without them a backend over these files could not evaluate
    (issue 10 §1: evidence is read through the same backend as the ledgers).

    Files: ``<directory>/<django table>.parquet`` (directory created if missing). Returns rows
    per table.
    """
    out = Path(directory)
    out.mkdir(parents=True, exist_ok=True)
    written = {
        m._meta.db_table: export_table(m, out / f"{m._meta.db_table}.parquet", prefix)
        for m in [*LEDGER_MODELS, *CREDIT_EXPORTED]
    }
    for m in input_models():
        written[m._meta.db_table] = export_table(m, out / f"{m._meta.db_table}.parquet")
    return written


def duckdb_backend(directory: Path | str) -> Any:
    """An in-memory Ibis DuckDB backend with every ``*.parquet`` in ``directory`` registered
    under its file name (the Django table name)."""
    import ibis

    con = ibis.duckdb.connect()
    for path in sorted(Path(directory).glob("*.parquet")):
        con.read_parquet(path, table_name=path.stem)
    return con


def spark_session(master: str = "local[*]") -> Any:
    """A SparkSession for the scorecard: ``master`` ``local[*]`` (every core of this machine),
    ``local[2]``, or a cluster's URL (``spark://host:7077``, ``yarn``, ``k8s://…``).

    Small shuffles (the scorecard's results are one row per org unit), UTC session time (the
    ledgers hold dates only), no web UI. Needs the ``spark`` extra and Java 17.
    """
    from pyspark.sql import SparkSession

    return (
        SparkSession.builder.master(master)
        .appName("foodsafe-scorecard")
        .config("spark.sql.shuffle.partitions", "8")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.ui.enabled", "false")
        .getOrCreate()
    )


def spark_backend(directory: Path | str, session: Any | None = None) -> Any:
    """An Ibis PySpark backend with each ledger's (and scorecard input's) Parquet file registered as a temporary view
    named after its Django table (``registry_foodbusiness``…).

    ``directory``: a local folder, or any URL Spark reads (``hdfs://…/export``,
    ``s3a://bucket/export``); the files are ``<directory>/<django table>.parquet`` as written by
    :func:`export_parquet`. ``session``: a SparkSession (default :func:`spark_session`, local
    mode). Tables missing from a local folder are skipped; on a URL every ledger must be there.
    """
    import ibis

    session = session if session is not None else spark_session()
    base = str(directory).rstrip("/")
    local = "://" not in base
    for model in [*LEDGER_MODELS, *CREDIT_EXPORTED, *input_models()]:
        table = model._meta.db_table
        if local and not (Path(base) / f"{table}.parquet").exists():
            continue
        session.read.parquet(f"{base}/{table}.parquet").createOrReplaceTempView(table)
    return ibis.pyspark.connect(session)
