"""Which rows of each ledger table lie under an org-unit code prefix, as SQL.

Used to delete a synthetic jurisdiction (``--replace``) and to export any jurisdiction to
Parquet. A table either carries an org-unit code itself or reaches one through a parent.
"""

from __future__ import annotations

from django.db import models

from foodsafe.complaints.models import Complaint
from foodsafe.credit.models import CreditEntry, CreditFile, CreditGrade, SeriousViolationListing
from foodsafe.emergency.models import Drill, PlanRevision
from foodsafe.enforcement.models import Case
from foodsafe.grain.models import GrainMonitoring, GrainStock
from foodsafe.handlers.models import FoodHandler, SystemCertificate
from foodsafe.incidents.models import Incident
from foodsafe.inspections.models import Finding, Inspection
from foodsafe.insurance.models import LiabilityPolicy
from foodsafe.orgunits.models import OrgUnit, Population
from foodsafe.registry.models import FoodBusiness, RiskGrade
from foodsafe.riskgrading.models import (
    AdjustmentFact,
    Checklist,
    ChecklistPhoto,
    Grading,
    StaticFactors,
)
from foodsafe.sampling.models import SamplingBatch, TestItem
from foodsafe.schools.models import SchoolCanteen
from foodsafe.selfinspections.models import SelfInspectionReport
from foodsafe.sentinels.models import DiseaseEvent, SentinelInstitution, SentinelReport
from foodsafe.surveys.models import SurveyResponse
from foodsafe.workforce.models import StaffMember, TrainingRecord

#: Every table a synthetic jurisdiction fills, parents before children.
LEDGER_MODELS: list[type[models.Model]] = [
    OrgUnit,
    Population,
    FoodBusiness,
    SchoolCanteen,
    SelfInspectionReport,
    LiabilityPolicy,
    FoodHandler,
    SystemCertificate,
    StaffMember,
    TrainingRecord,
    Complaint,
    Case,
    Incident,
    SentinelInstitution,
    SentinelReport,
    DiseaseEvent,
    PlanRevision,
    Drill,
    Inspection,
    Finding,
    SamplingBatch,
    TestItem,
    GrainStock,
    GrainMonitoring,
    SurveyResponse,
    RiskGrade,
]
#: Risk-grading records under a jurisdiction, children first: deleted with it (``--replace``),
#: not exported to Parquet (the scorecard reads only the grade ledger, ``RiskGrade``).
# Photos before their checklists (PROTECT); the photo files are left on disk.
GRADING_MODELS: list[type[models.Model]] = [
    Grading,
    AdjustmentFact,
    ChecklistPhoto,
    Checklist,
    StaticFactors,
]
#: Credit supervision's rows under a jurisdiction (derived from its ledgers by
#: ``foodsafe credit --refresh``/``--assess``): deleted with it; files, their entries (whether
#: the files hold records of the period) and classes exported to Parquet (item 25 reads them).
CREDIT_MODELS: list[type[models.Model]] = [
    CreditEntry,
    CreditGrade,
    CreditFile,
    SeriousViolationListing,
]
CREDIT_EXPORTED: list[type[models.Model]] = [CreditFile, CreditEntry, CreditGrade]

#: table → the column holding its org-unit code
DIRECT = {
    OrgUnit: "code",
    Population: "org_unit_code",
    FoodBusiness: "org_unit_code",
    StaffMember: "org_unit_code",
    Complaint: "org_unit_code",
    Case: "org_unit_code",
    Incident: "org_unit_code",
    SentinelInstitution: "org_unit_code",
    DiseaseEvent: "org_unit_code",
    PlanRevision: "org_unit_code",
    Drill: "org_unit_code",
    SamplingBatch: "org_unit_code",
    GrainStock: "org_unit_code",
    SurveyResponse: "org_unit_code",
}
#: table → (foreign-key column, parent model) for tables without a code of their own
VIA = {
    SchoolCanteen: ("business_id", FoodBusiness),
    SelfInspectionReport: ("business_id", FoodBusiness),
    LiabilityPolicy: ("business_id", FoodBusiness),
    SentinelReport: ("institution_id", SentinelInstitution),
    FoodHandler: ("business_id", FoodBusiness),
    SystemCertificate: ("business_id", FoodBusiness),
    Inspection: ("business_id", FoodBusiness),
    Finding: ("inspection_id", Inspection),
    TestItem: ("batch_id", SamplingBatch),
    TrainingRecord: ("staff_id", StaffMember),
    GrainMonitoring: ("stock_id", GrainStock),
    RiskGrade: ("business_id", FoodBusiness),
    Grading: ("business_id", FoodBusiness),
    AdjustmentFact: ("business_id", FoodBusiness),
    Checklist: ("inspection_id", Inspection),
    ChecklistPhoto: ("checklist_id", Checklist),
    StaticFactors: ("business_id", FoodBusiness),
    CreditEntry: ("business_id", FoodBusiness),
    CreditGrade: ("business_id", FoodBusiness),
    CreditFile: ("business_id", FoodBusiness),
    SeriousViolationListing: ("business_id", FoodBusiness),
}


def scope_sql(model: type[models.Model], quote, placeholder: str = "%s") -> str:
    """A WHERE condition (one ``placeholder`` for ``prefix + '%'``) selecting ``model``'s rows."""
    if model in DIRECT:
        return f"{quote(DIRECT[model])} LIKE {placeholder}"
    column, parent = VIA[model]
    inner = scope_sql(parent, quote, placeholder)
    return (
        f"{quote(column)} IN (SELECT {quote('id')} FROM {quote(parent._meta.db_table)} "  # noqa: S608 (names from model meta)
        f"WHERE {inner})"
    )
