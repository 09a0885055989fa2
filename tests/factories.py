"""factory_boy factories for every ledger, with small readable defaults.

Org units default to a district 120101000000 and its subdistricts are made explicitly in tests.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import factory

from foodsafe.complaints.models import Complaint
from foodsafe.complaints.services import complaint_deadlines, complaint_deadlines_compute
from foodsafe.emergency.models import Drill, PlanRevision
from foodsafe.enforcement.models import Case
from foodsafe.grain.models import GrainMonitoring, GrainStock
from foodsafe.handlers.models import FoodHandler, SystemCertificate
from foodsafe.incidents.models import Incident
from foodsafe.inspections.models import Inspection
from foodsafe.insurance.models import LiabilityPolicy
from foodsafe.orgunits.models import OrgUnit, Population, division_level
from foodsafe.registry.models import FoodBusiness
from foodsafe.sampling.models import SamplingBatch, TestItem
from foodsafe.schools.models import SchoolCanteen
from foodsafe.selfinspections.models import SelfInspectionReport
from foodsafe.sentinels.models import DiseaseEvent, SentinelInstitution, SentinelReport
from foodsafe.surveys.models import SurveyResponse
from foodsafe.workforce.models import StaffMember, TrainingRecord


class OrgUnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OrgUnit
        django_get_or_create = ("code",)

    code = "120101000000"
    name = factory.LazyAttribute(lambda o: f"单位{o.code}")
    level = factory.LazyAttribute(lambda o: division_level(o.code))


class PopulationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Population

    org_unit = factory.SubFactory(OrgUnitFactory)
    year = 2021
    resident_population = 1000


class FoodBusinessFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FoodBusiness

    registry_number = factory.Sequence(lambda n: f"REG{n:06d}")
    name = factory.Sequence(lambda n: f"测试经营者{n}")
    sector = "catering"
    business_format = "restaurant"
    org_unit = factory.SubFactory(OrgUnitFactory)
    status = "active"


class InspectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Inspection

    inspection_number = factory.Sequence(lambda n: f"JC{n:06d}")
    business = factory.SubFactory(FoodBusinessFactory)
    inspected_on = date(2021, 6, 1)
    inspection_type = "routine"
    full_checklist = True


class SamplingBatchFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SamplingBatch

    sample_number = factory.Sequence(lambda n: f"DC21{n:08d}")
    sampled_on = date(2021, 6, 1)
    org_unit = factory.SubFactory(OrgUnitFactory)
    sampling_type = "surveillance"
    stage = "circulation"
    business_format = "supermarket"
    food_category = "蔬菜"
    conclusion = "conforming"


class TestItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TestItem

    batch = factory.SubFactory(SamplingBatchFactory)
    name = factory.Sequence(lambda n: f"项目{n}")
    category = "other"


class CaseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Case

    case_number = factory.Sequence(lambda n: f"AJ{n:06d}")
    org_unit = factory.SubFactory(OrgUnitFactory)
    lead_received_on = date(2021, 3, 1)
    should_file = True


class ComplaintFactory(factory.django.DjangoModelFactory):
    """A food complaint; the due dates are computed the way the importer computes them."""

    class Meta:
        model = Complaint

    complaint_number = factory.Sequence(lambda n: f"TS{n:06d}")
    kind = "complaint"
    is_food = True
    org_unit = factory.SubFactory(OrgUnitFactory)
    received_on = date(2021, 3, 1)
    decision = "pending"

    @factory.lazy_attribute
    def acceptance_due_on(self) -> date:
        return complaint_deadlines(
            received_on=self.received_on,
            decision=self.decision,
            decided_on=self.decided_on,
            suspended_working_days=self.suspended_working_days,
        )[0]

    @factory.lazy_attribute
    def closing_due_on(self) -> date | None:
        return complaint_deadlines(
            received_on=self.received_on,
            decision=self.decision,
            decided_on=self.decided_on,
            suspended_working_days=self.suspended_working_days,
        )[1]

    decided_on = None
    suspended_working_days = 0
    closed_on = None
    end_notified_on = None

    @factory.lazy_attribute
    def end_notice_due_on(self) -> date | None:
        """告知终止期限: 7 working days after an accepted complaint's closing (第二十一条)."""
        if self.decision != "accepted" or self.decided_on is None:
            return None
        return complaint_deadlines_compute(
            received_on=self.received_on,
            decision=self.decision,
            decided_on=self.decided_on,
            suspended_working_days=self.suspended_working_days,
            closed_on=self.closed_on,
        ).end_notice_due_on


class StaffMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StaffMember

    staff_number = factory.Sequence(lambda n: f"RY{n:05d}")
    name = factory.Sequence(lambda n: f"人员{n}")
    org_unit = factory.SubFactory(OrgUnitFactory)
    # The spec counts inspectors of 市场监管部门及其派出机构 only (item 12 ``agencies``).
    agency = "和平区市场监督管理局"
    is_food_inspector = True
    is_professional = True


class TrainingRecordFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TrainingRecord

    staff = factory.SubFactory(StaffMemberFactory)
    trained_on = date(2021, 5, 1)
    course = factory.Sequence(lambda n: f"课程{n}")
    class_hours = Decimal("8")


class SchoolCanteenFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SchoolCanteen

    business = factory.SubFactory(
        FoodBusinessFactory, business_format="school_canteen", sector="catering"
    )
    school_name = factory.Sequence(lambda n: f"第{n}小学")
    school_type = "primary"


class GrainStockFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = GrainStock

    depot_code = factory.Sequence(lambda n: f"LK{n:03d}")
    depot_name = factory.Sequence(lambda n: f"粮库{n}")
    org_unit = factory.SubFactory(OrgUnitFactory)
    year = 2021
    stock_tonnes = Decimal("1000")


class GrainMonitoringFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = GrainMonitoring

    monitoring_number = factory.Sequence(lambda n: f"JCLS{n:05d}")
    stock = factory.SubFactory(GrainStockFactory)
    sampled_on = date(2021, 6, 1)
    monitored_tonnes = Decimal("100")


class SelfInspectionReportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SelfInspectionReport

    business = factory.SubFactory(FoodBusinessFactory, business_format="chain_hq", sector="sales")
    submitted_on = date(2021, 6, 1)


class SurveyResponseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SurveyResponse

    response_number = factory.Sequence(lambda n: f"WJ{n:06d}")
    survey_code = "2021-满意度"
    org_unit = factory.SubFactory(OrgUnitFactory)
    responded_on = date(2021, 7, 1)
    satisfaction_score = Decimal("80")
    aware_of_programme = True


class IncidentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Incident

    incident_number = factory.Sequence(lambda n: f"SJ{n:04d}")
    org_unit = factory.SubFactory(OrgUnitFactory)
    occurred_on = date(2020, 5, 1)
    severity = "IV"
    kind = "poisoning"


class LiabilityPolicyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LiabilityPolicy

    policy_number = factory.Sequence(lambda n: f"BD{n:06d}")
    insurer = "示例财产保险公司"
    business = factory.SubFactory(
        FoodBusinessFactory, business_format="school_canteen", sector="catering"
    )
    starts_on = date(2021, 1, 1)
    ends_on = date(2021, 12, 31)


class FoodHandlerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FoodHandler

    business = factory.SubFactory(FoodBusinessFactory)
    staff_number = factory.Sequence(lambda n: f"R{n:04d}")
    name = factory.Sequence(lambda n: f"从业{n}")
    role = "厨师"
    direct_contact = True
    certificate_number = factory.Sequence(lambda n: f"JKZ{n:06d}")
    valid_until = date(2022, 6, 30)


class SystemCertificateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SystemCertificate

    certificate_number = factory.Sequence(lambda n: f"ZS{n:06d}")
    business = factory.SubFactory(
        FoodBusinessFactory,
        business_format="manufacturer",
        sector="production",
        above_designated_size=True,
    )
    scheme = "haccp"
    issued_on = date(2020, 1, 1)
    valid_until = date(2022, 12, 31)


class PlanRevisionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PlanRevision

    plan_code = "YA-SPAQ"
    plan_name = "食品安全事故应急预案"
    org_unit = factory.SubFactory(OrgUnitFactory)
    revised_on = date(2020, 6, 30)


class DrillFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Drill

    drill_number = factory.Sequence(lambda n: f"YL{n:04d}")
    org_unit = factory.SubFactory(OrgUnitFactory)
    held_on = date(2021, 6, 15)
    organiser = "office"
    kind = "live"
    scenario = "学校食堂疑似食物中毒事件处置"


class SentinelInstitutionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SentinelInstitution

    code = factory.Sequence(lambda n: f"YY{n:03d}")
    name = factory.Sequence(lambda n: f"测试医院{n}")
    org_unit = factory.SubFactory(OrgUnitFactory)


class SentinelReportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SentinelReport

    institution = factory.SubFactory(SentinelInstitutionFactory)
    month = date(2021, 1, 1)
    reported_on = date(2021, 2, 3)
    cases = 0


class DiseaseEventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DiseaseEvent

    event_number = factory.Sequence(lambda n: f"SYX{n:04d}")
    org_unit = factory.SubFactory(OrgUnitFactory)
    found_on = date(2021, 8, 17)
    reported_on = date(2021, 8, 17)
    cases = 3
