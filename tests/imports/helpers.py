"""Small builders for ledger files used by the importer tests."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import xlsxwriter
from django.apps import apps

LEDGER_MODELS = (
    "orgunits.OrgUnit",
    "orgunits.Population",
    "registry.FoodBusiness",
    "inspections.Inspection",
    "inspections.Finding",
    "sampling.SamplingBatch",
    "sampling.TestItem",
    "enforcement.Case",
    "complaints.Complaint",
    "workforce.StaffMember",
    "workforce.TrainingRecord",
    "schools.SchoolCanteen",
    "grain.GrainStock",
    "grain.GrainMonitoring",
    "selfinspections.SelfInspectionReport",
    "surveys.SurveyResponse",
    "incidents.Incident",
    "insurance.LiabilityPolicy",
    "handlers.FoodHandler",
    "handlers.SystemCertificate",
    "emergency.PlanRevision",
    "emergency.Drill",
    "sentinels.SentinelInstitution",
    "sentinels.SentinelReport",
    "sentinels.DiseaseEvent",
    "imports.ImportLog",
)


def row_counts() -> dict[str, int]:
    """Row count of every ledger table and the import log."""
    return {label: apps.get_model(label).objects.count() for label in LEDGER_MODELS}


def write_xlsx(path: Path, rows: Sequence[Sequence[Any]], *, sheet: str = "Sheet1") -> Path:
    """An .xlsx with ``rows`` from A1; dates become real Excel date cells."""
    from datetime import date

    workbook = xlsxwriter.Workbook(str(path))
    worksheet = workbook.add_worksheet(sheet)
    date_format = workbook.add_format({"num_format": "yyyy-mm-dd"})
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if value is None:
                continue
            if isinstance(value, date):
                worksheet.write_datetime(r, c, value, date_format)
            else:
                worksheet.write(r, c, value)
    workbook.close()
    return path


def write_csv(path: Path, rows: Sequence[Sequence[Any]], *, encoding: str = "utf-8") -> Path:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(rows)
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path
