"""Every URL × every persona → the expected status (STYLE.md: every page has a permission test).

``RULES`` below is the one table: one entry per URL name (``namespace:name``), found by walking
``get_resolver().url_patterns`` (the admin and static files are left out). A URL without a rule
fails ``test_every_url_has_a_rule`` — add its rule here when you add a URL.

A rule gives the expected outcome per persona: an HTTP status, ``LOGIN`` (302 to the login
page) or ``REDIRECT`` (302 anywhere else). Unlisted personas get ``default``; anonymous users
get ``LOGIN`` unless stated. ``kwargs`` builds the URL's arguments from the sample objects of
the ``sample`` fixture (an item, evidence and a rectification of 区市场监管局, which
区教育局 must not see); ``method="post"`` sends ``data`` (default: an empty form, which is refused,
or the user is refused first; only the rectification measures accept it).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from types import SimpleNamespace
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from foodsafe.complaints.models import Complaint
from foodsafe.credit.models import CreditGrade
from foodsafe.demonstration.models import DemonstrationProject, FieldCheckSite
from foodsafe.evidence.models import private_storage
from foodsafe.imports.ledgers import LEDGERS
from foodsafe.imports.models import ImportLog
from foodsafe.inspectionplan.in_force import plan_spec
from foodsafe.inspectionplan.services import plan_create
from foodsafe.orgunits.models import ResponsibleUnit
from foodsafe.registry.models import FoodBusiness
from foodsafe.riskgrading.models import ChecklistPhoto, Grading
from foodsafe.sampling.models import SamplingBatch
from foodsafe.samplingplan.models import Disposal, SamplingPlan
from foodsafe.workplan import services as workplan_services
from tests.conftest import DISTRICT, SUB_A
from tests.evidence.files import png
from tests.riskgrading.helpers import record_checklist
from tests.tasks.board_data import add_evidence, add_rectification, assignment, load_programme

LOGIN = "302 → login"
REDIRECT = "302 → elsewhere"
PERSONAS = (
    "anonymous",
    "outsider",
    "office_admin",
    "market_user",
    "education_user",
    "inspector",
    "reviewer",
)
Expected = int | str


@dataclass(frozen=True)
class Rule:
    expected: dict[str, Expected]
    kwargs: Callable[[Any], dict[str, Any]] | None = None
    method: str = "get"
    data: dict[str, Any] = field(default_factory=dict)


def rule(
    default: Expected,
    *,
    kwargs: Callable[[Any], dict[str, Any]] | None = None,
    method: str = "get",
    data: dict[str, Any] | None = None,
    **per_persona: Expected,
) -> Rule:
    unknown = set(per_persona) - set(PERSONAS)
    assert not unknown, f"unknown personas {unknown}"
    expected: dict[str, Expected] = {p: default for p in PERSONAS}
    expected["anonymous"] = LOGIN
    expected.update(per_persona)
    return Rule(expected, kwargs, method, data or {})


# Shorthands for the common shapes.
def readers(**kw: Any) -> Rule:
    """Office, reviewers and both member units 200; inspectors and users without a role 403."""
    return rule(403, office_admin=200, reviewer=200, market_user=200, education_user=200, **kw)


def market_object(ok: Expected = 200, **kw: Any) -> Rule:
    """An object of 区市场监管局: office, reviewer and that unit see it; 区教育局 and roles
    that see no unit's objects get 404."""
    per = {"office_admin": ok, "reviewer": ok, "market_user": ok}
    per.update({k: v for k, v in kw.items() if k in PERSONAS})
    rest = {k: v for k, v in kw.items() if k not in PERSONAS}
    return rule(404, **per, **rest)


def importers(ok: Expected, **kw: Any) -> Rule:
    """Office, both member units and inspectors get ``ok``; reviewers and users without a
    role 403."""
    return rule(403, office_admin=ok, market_user=ok, education_user=ok, inspector=ok, **kw)


ITEM = 6  # an item of 区市场监管局 that 区教育局 is not assigned to
PK = {
    "evidence": lambda o: {"pk": o.evidence.pk},
    "assignment": lambda o: {"pk": o.assignment.pk},
    "rectification": lambda o: {"pk": o.rectification.pk},
}
SCORECARD_ARGS = lambda o: {"org_code": DISTRICT, "period": "2021"}  # noqa: E731

RULES: dict[str, Rule] = {
    # -- login and language ---------------------------------------------------------------
    "login": rule(200, anonymous=200),
    "logout": rule(405, anonymous=405),  # POST only (a GET must not log anyone out)
    "set_language": rule(
        REDIRECT, anonymous=REDIRECT, method="post", data={"language": "en", "next": "/"}
    ),
    # -- scorecard and home ---------------------------------------------------------------
    # Member units get their open work; everyone else is sent to the scorecard.
    "web:home": rule(REDIRECT, market_user=200, education_user=200),
    # Any role; a logged-in user without a role is refused.
    "web:scorecard": rule(200, outsider=403, kwargs=SCORECARD_ARGS),
    # Its downloads (issue 11 §5): the Excel scorecard and the Word report of the page's unit
    # and period, with the page's rule (any role; a user without one 403).
    "web:scorecard_xlsx": rule(200, outsider=403, kwargs=SCORECARD_ARGS),
    "web:scorecard_docx": rule(200, outsider=403, kwargs=SCORECARD_ARGS),
    # 认定否决项: POST only, the office only; an empty form is refused back to the scorecard
    "web:veto_finding": rule(
        403,
        office_admin=REDIRECT,
        kwargs=lambda o: {**SCORECARD_ARGS(o), "veto_code": "veto_leadership"},
        method="post",
    ),
    "dashboard:home": rule(REDIRECT, outsider=403),
    "dashboard:dashboard": rule(200, outsider=403, kwargs=SCORECARD_ARGS),
    # -- programme: task board and items ---------------------------------------------------
    "tasks:board": readers(),
    "tasks:item": rule(
        403,
        office_admin=200,
        reviewer=200,
        market_user=200,
        education_user=404,
        kwargs=lambda o: {"number": ITEM},
    ),
    # -- evidence ---------------------------------------------------------------------------
    "evidence:index": readers(),
    "evidence:assignment": market_object(kwargs=PK["assignment"]),
    "evidence:detail": market_object(kwargs=PK["evidence"]),
    "evidence:download": market_object(kwargs=PK["evidence"]),
    # 在线查看 (issue 17): whoever may see the evidence; the sample is a PDF
    "evidence:view": market_object(kwargs=PK["evidence"]),
    # 撤回: its uploader (区市场监管局's user) before review; office and reviewers 403; the
    # uploader's empty form (no confirm=1 from the button) is refused and withdraws nothing
    "evidence:withdraw": market_object(403, market_user=400, kwargs=PK["evidence"], method="post"),
    # an empty review form is refused (400) once the file is visible
    "evidence:review": market_object(400, kwargs=PK["evidence"], method="post"),
    # -- rectification ledger ---------------------------------------------------------------
    "rectification:list": readers(),
    "rectification:export": readers(),
    # 阶段性自查说明: without a phase the form is refused (404) for those who may open it
    "rectification:self_check": rule(
        403, office_admin=404, reviewer=404, market_user=404, education_user=404
    ),
    # office, reviewers, and member units (their own 排查台账, issue 17)
    "rectification:create": rule(
        403, office_admin=200, reviewer=200, market_user=200, education_user=200
    ),
    # the office only; an empty form names no indicator → 404
    "rectification:from_indicator": rule(403, office_admin=404, method="post"),
    "rectification:detail": market_object(kwargs=PK["rectification"]),
    "rectification:transition": market_object(400, kwargs=PK["rectification"], method="post"),
    # owner unit and office may upload (empty form → 400); a reviewer may not
    "rectification:upload": market_object(
        400, reviewer=403, kwargs=PK["rectification"], method="post"
    ),
    # owner unit and office save the (empty) measures and go back to the page; not a reviewer
    "rectification:measures": market_object(
        REDIRECT, reviewer=403, kwargs=PK["rectification"], method="post"
    ),
    # -- 材料报送 (issue 17 point 1) ------------------------------------------------------------
    "materials:index": readers(),
    # a unit's filing for a module: the unit itself, the office and reviewers; another unit 404
    "materials:filing": market_object(
        kwargs=lambda o: {"group": "foundation", "unit": "market-regulation"},
        inspector=403,
        outsider=403,
    ),
    # the sample has no attachment: 404 for those who may look, 403 for roles without the page
    "materials:filing_file": rule(
        404,
        inspector=403,
        outsider=403,
        kwargs=lambda o: {"group": "foundation", "unit": "market-regulation"},
    ),
    # the zip: the office and reviewers
    "materials:archive": rule(403, office_admin=200, reviewer=200),
    # -- 信息报送 (issue 17 point 7) ------------------------------------------------------------
    "inforeports:index": readers(),
    # a member unit sends (the empty form is refused); the office and reviewers may not
    "inforeports:submit": rule(403, market_user=400, education_user=400, method="post"),
    "inforeports:schedule_create": rule(403, office_admin=400, method="post"),
    "inforeports:bulletin_create": rule(403, office_admin=400, method="post"),
    # no report, attachment or bulletin in the sample: 404 for the readers
    "inforeports:report": rule(404, inspector=403, outsider=403, kwargs=lambda o: {"pk": 999999}),
    "inforeports:attachment": rule(
        404, inspector=403, outsider=403, kwargs=lambda o: {"pk": 999999}
    ),
    "inforeports:bulletin_docx": rule(
        404, inspector=403, outsider=403, kwargs=lambda o: {"pk": 999999}
    ),
    # -- supervision --------------------------------------------------------------------------
    "supervision:overdue": readers(),
    "supervision:performance": rule(403, office_admin=200),
    # 站内通知 (issue 17): every role its own list; marking read is POST-only and redirects
    "supervision:notifications": rule(200, outsider=403),
    "supervision:notifications_read": rule(REDIRECT, outsider=403, method="post"),
    # their Excel downloads: the page's rule (a member unit's file holds only its own items)
    "supervision:overdue_export": readers(),
    "supervision:performance_export": rule(403, office_admin=200),
    # 工作日日历 (issue 9 point 1): the office only; other roles 403. A year outside 2000–2100
    # is a 404; an unknown preview token is a 404 for the office; an empty POST is refused (400).
    "supervision:calendar": rule(403, office_admin=200),
    "supervision:calendar_year": rule(403, office_admin=200, kwargs=lambda o: {"year": 2027}),
    "supervision:calendar_template": rule(403, office_admin=200, kwargs=lambda o: {"year": 2027}),
    "supervision:calendar_submit": rule(403, office_admin=400, method="post"),
    "supervision:calendar_preview": rule(
        403, office_admin=404, kwargs=lambda o: {"token": "0" * 32}
    ),
    "supervision:calendar_confirm": rule(
        403, office_admin=404, kwargs=lambda o: {"token": "0" * 32}, method="post"
    ),
    # -- ledger imports: office, member units and inspectors (can_import_ledgers); reviewers
    # and users without a role 403. An unknown upload token is a 404 for those who may import.
    "imports:upload": importers(200),
    "imports:preview": importers(404, kwargs=lambda o: {"token": "0" * 32}),
    "imports:confirm": importers(404, kwargs=lambda o: {"token": "0" * 32}, method="post"),
    "imports:error_report": importers(404, kwargs=lambda o: {"token": "0" * 32}),
    "imports:log": importers(200),
    # An import log entry of 区市场监管局: the office and that unit see it; 区教育局 and an
    # inspector (who sees only the files they imported) get 404 (issue 9 point 2).
    "imports:log_entry": rule(
        403,
        office_admin=200,
        market_user=200,
        education_user=404,
        inspector=404,
        kwargs=lambda o: {"pk": o.import_log.pk},
    ),
    # 撤销导入 of that entry: the office only. 区市场监管局 sees its entry but may not roll it
    # back (403); 区教育局 and an inspector do not see it (404).
    "imports:rollback": rule(
        403,
        office_admin=200,
        market_user=403,
        education_user=404,
        inspector=404,
        kwargs=lambda o: {"pk": o.import_log.pk},
    ),
    # templates are blank forms, not data: any logged-in user
    "imports:template": rule(200, kwargs=lambda o: {"ledger": next(iter(LEDGERS))}),
    # -- complaints: the masked ledger for the office and inspectors (and complaint handlers,
    # tests/complaints/test_personal_data.py); revealing needs complaints.view_personal_data,
    # which none of these personas holds; the reveal log is the office's.
    "complaints:list": rule(403, office_admin=200, inspector=200),
    "complaints:reveal": rule(403, kwargs=lambda o: {"pk": o.complaint.pk}, method="post"),
    "complaints:reveals": rule(403, office_admin=200),
    # -- 投诉举报办理 (issue 16): the office handles all; a member unit only complaints assigned
    # to it (the sample complaint is unassigned: 404 for both units); others 403.
    "complainthandling:list": rule(403, office_admin=200, market_user=200, education_user=200),
    "complainthandling:detail": rule(
        403,
        office_admin=200,
        market_user=404,
        education_user=404,
        kwargs=lambda o: {"pk": o.complaint.pk},
    ),
    "complainthandling:statistics": rule(403, office_admin=200),
    # -- the public side (issue 16): no login, the same page for everyone.
    "public:index": rule(200, anonymous=200),
    "public:complaint": rule(200, anonymous=200),
    "public:status": rule(200, anonymous=200),
    "public:survey": rule(200, anonymous=200),
    "public:notices": rule(200, anonymous=200),
    "public:statistics": rule(200, anonymous=200),
    # a notice that is not published is not public (the sample has none): 404 for everyone
    "public:notice": rule(404, anonymous=404, kwargs=lambda o: {"pk": 999999}),
    # 公示管理 (issue 16): the office's.
    "notices:list": rule(403, office_admin=200),
    "notices:detail": rule(403, office_admin=404, kwargs=lambda o: {"pk": 999999}),
    # 我承办的异议 (F17): every role its own list; an objection not theirs is 404
    # (tests/notices/test_objection_handler.py works one through with its handler).
    "notices:objections": rule(200, outsider=403),
    "notices:objection": rule(404, outsider=403, kwargs=lambda o: {"pk": 999999}),
    # -- 任务时间轴, 责任人, 会议 (issue 17 points 3, 4). The timeline: readers (a unit its own).
    # A task of 区市场监管局: 区教育局 404; changes are the unit's and the office's (the service
    # refuses reviewers: 403). Loading the phase work is the office's. Meetings: the office and
    # member units; a meeting 区市场监管局 attended is 404 for 区教育局 (neither there nor owning
    # a decision); reviewers have no meeting pages.
    "workplan:timeline": readers(),
    "workplan:sync": rule(403, office_admin=REDIRECT, method="post"),
    "workplan:assignment": rule(
        403,
        office_admin=REDIRECT,
        market_user=REDIRECT,
        education_user=404,
        kwargs=PK["assignment"],
        method="post",
    ),
    "workplan:task": rule(
        404,
        office_admin=200,
        reviewer=200,
        market_user=200,
        inspector=403,
        outsider=403,
        kwargs=lambda o: {"pk": o.task.pk},
    ),
    "workplan:people": rule(403, office_admin=200, market_user=200, education_user=200),
    "workplan:meetings": rule(403, office_admin=200, market_user=200, education_user=200),
    "workplan:meeting": rule(
        403,
        office_admin=200,
        market_user=200,
        education_user=404,
        kwargs=lambda o: {"pk": o.meeting.pk},
    ),
    # -- 满意度和知晓率 (issue 16): the office's; weights are a POST (an empty form is refused
    # back to the results page).
    "surveys:results": rule(403, office_admin=200),
    "surveys:phone": rule(403, office_admin=200),
    "surveys:weights": rule(403, office_admin=REDIRECT, method="post"),
    "surveys:invitations": rule(403, office_admin=REDIRECT, method="post"),
    # -- 监督检查计划 (issue 13). The office and 区市场监管局 (planning the district in the plan
    # spec) see lists and the district's plan; 区教育局 (no planning area) sees the pages with
    # nothing on them and another area's plan as 404; an inspector not assigned to the plan
    # gets 404, and publication is not theirs (403); reviewers and users without a role 403.
    "inspectionplan:due": rule(
        403, office_admin=200, market_user=200, education_user=200, inspector=200
    ),
    "inspectionplan:due_export": rule(
        403, office_admin=200, market_user=200, education_user=404, inspector=404
    ),
    # /inspection-plan/ only redirects to the plans page, which makes the checks above
    "inspectionplan:index": rule(REDIRECT, anonymous=REDIRECT),
    "inspectionplan:plans": rule(
        403, office_admin=200, market_user=200, education_user=200, inspector=200
    ),
    # an empty form is refused (400) for planners; a unit or inspector with no area 403
    "inspectionplan:create": rule(403, office_admin=400, market_user=400, method="post"),
    "inspectionplan:detail": rule(
        403,
        office_admin=200,
        market_user=200,
        education_user=404,
        inspector=404,
        kwargs=lambda o: {"pk": o.plan.pk},
    ),
    "inspectionplan:export": rule(
        403,
        office_admin=200,
        market_user=200,
        education_user=404,
        inspector=404,
        kwargs=lambda o: {"pk": o.plan.pk},
    ),
    "inspectionplan:publication": rule(
        403,
        office_admin=200,
        market_user=200,
        education_user=404,
        kwargs=lambda o: {"pk": o.plan.pk},
    ),
    "inspectionplan:publication_export": rule(
        403,
        office_admin=200,
        market_user=200,
        education_user=404,
        kwargs=lambda o: {"pk": o.plan.pk},
    ),
    # -- 抽检计划, 核查处置, 信息公开 (issue 15): the office and inspectors make plans and work
    # everything; 区市场监管局's member-unit login reads the plans, progress and lists and works
    # the 核查处置 of its own department's batches (the fixture's batch is 市场监管部门's), but
    # makes no plan and records no publication (403); 区教育局 and every other role 403.
    # Empty forms and a preview without unit and year are refused (400).
    "samplingplan:plans": rule(403, office_admin=200, inspector=200, market_user=200),
    "samplingplan:preview": rule(403, office_admin=400, inspector=400),
    "samplingplan:save": rule(403, office_admin=400, inspector=400, method="post"),
    "samplingplan:detail": rule(
        403,
        office_admin=200,
        inspector=200,
        market_user=200,
        kwargs=lambda o: {"pk": o.sampling_plan.pk},
    ),
    "samplingplan:export": rule(
        403,
        office_admin=200,
        inspector=200,
        market_user=200,
        kwargs=lambda o: {"pk": o.sampling_plan.pk},
    ),
    "samplingplan:line_add": rule(
        403,
        office_admin=400,
        inspector=400,
        kwargs=lambda o: {"pk": o.sampling_plan.pk},
        method="post",
    ),
    "samplingplan:disposals": rule(403, office_admin=200, inspector=200, market_user=200),
    "samplingplan:disposal_open": rule(
        403, office_admin=400, inspector=400, market_user=400, method="post"
    ),
    "samplingplan:disposal": rule(
        403,
        office_admin=200,
        inspector=200,
        market_user=200,
        kwargs=lambda o: {"pk": o.disposal.pk},
    ),
    "samplingplan:disposal_act": rule(
        403,
        office_admin=400,
        inspector=400,
        market_user=400,
        kwargs=lambda o: {"pk": o.disposal.pk},
        method="post",
    ),
    "samplingplan:publication": rule(403, office_admin=200, inspector=200, market_user=200),
    "samplingplan:publication_export": rule(403, office_admin=200, inspector=200, market_user=200),
    "samplingplan:publication_record": rule(403, office_admin=400, inspector=400, method="post"),
    # -- 风险分级 (issue 12): the office runs and confirms; inspectors and reviewers read. The
    # operator file of a restaurant: every reader but 区教育局 (school canteens only) and users
    # without a role (404). The checklist: inspectors and the office. Empty POSTs are refused.
    "riskgrading:index": rule(403, office_admin=200, inspector=200, reviewer=200),
    "riskgrading:export": rule(403, office_admin=200, inspector=200, reviewer=200),
    "riskgrading:run": rule(403, office_admin=400, method="post"),
    "riskgrading:operator": rule(
        404,
        office_admin=200,
        inspector=200,
        reviewer=200,
        market_user=200,
        kwargs=lambda o: {"pk": o.business.pk},
    ),
    # A checklist photo: whoever may open the operator's file (404 otherwise, as the file).
    "riskgrading:photo": rule(
        404,
        office_admin=200,
        inspector=200,
        reviewer=200,
        market_user=200,
        kwargs=lambda o: {"pk": o.photo.pk},
    ),
    # 责令整改 from an inspection: the checklist's roles; an empty period is refused back to
    # the operator file.
    "riskgrading:rectify": rule(
        403,
        office_admin=REDIRECT,
        inspector=REDIRECT,
        kwargs=lambda o: {"pk": o.photo.checklist.inspection_id},
        method="post",
    ),
    # 静态风险因素和调整事实: the office only.
    "riskgrading:records": rule(403, office_admin=200, kwargs=lambda o: {"pk": o.business.pk}),
    "riskgrading:checklist": rule(
        403, office_admin=200, inspector=200, kwargs=lambda o: {"pk": o.business.pk}
    ),
    "riskgrading:confirm": rule(
        403, office_admin=400, kwargs=lambda o: {"pk": o.grading.pk}, method="post"
    ),
    # 信用监管 (issue 14): every role with a page reads (a member unit only the operators it may
    # see: 区教育局 gets the page, not the restaurant's file); the office alone decides.
    "credit:index": rule(200, outsider=403),
    "credit:export": rule(200, outsider=403),
    "credit:run": rule(403, office_admin=400, method="post"),
    "credit:file": rule(
        404,
        outsider=403,
        office_admin=200,
        inspector=200,
        reviewer=200,
        market_user=200,
        kwargs=lambda o: {"pk": o.business.pk},
    ),
    "credit:listing": rule(
        403, office_admin=REDIRECT, kwargs=lambda o: {"pk": o.business.pk}, method="post"
    ),
    "credit:override": rule(
        403, office_admin=REDIRECT, kwargs=lambda o: {"pk": o.credit_grade.pk}, method="post"
    ),
    # 示范引领项目 and 现场检查点位 (issue 17 point 5): readers list (a unit its own); the
    # office and units apply and propose; only the office exports the list for 国食办; one
    # project and one site of 区市场监管局 (another unit gets 404).
    "demonstration:projects": readers(),
    "demonstration:sites": readers(),
    "demonstration:project_new": rule(403, office_admin=200, market_user=200, education_user=200),
    "demonstration:site_new": rule(403, office_admin=200, market_user=200, education_user=200),
    "demonstration:projects_export": rule(403, office_admin=200),
    "demonstration:project_detail": market_object(kwargs=lambda o: {"pk": o.project.pk}),
    "demonstration:site_detail": market_object(kwargs=lambda o: {"pk": o.site.pk}),
    # 绩效考核 (issue 17 point 6): the office ranks, exports and comments; a member unit sees
    # its own row; an empty comment form names no unit (404).
    "performance:ranking": rule(403, office_admin=200, market_user=200, education_user=200),
    "performance:export": rule(403, office_admin=200),
    "performance:comment": rule(403, office_admin=404, method="post"),
}


# -- walking the URLconf -------------------------------------------------------------------------

SKIPPED_NAMESPACES = {"admin", "djdt"}


def url_names(
    patterns: list[Any] | None = None, namespace: tuple[str, ...] = (), prefix: str = ""
) -> Iterator[tuple[str, str]]:
    """``(name, route)`` of every URL pattern, namespaced ``ns:name``; unnamed ones as
    ``"<unnamed>"`` so that the coverage test can name their route."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            if pattern.namespace in SKIPPED_NAMESPACES or route.startswith(("admin/", "static/")):
                continue
            ns = (*namespace, pattern.namespace) if pattern.namespace else namespace
            yield from url_names(pattern.url_patterns, ns, route)
        elif isinstance(pattern, URLPattern):
            if route.startswith("static/"):
                continue
            name = ":".join((*namespace, pattern.name)) if pattern.name else "<unnamed>"
            yield name, route


def test_every_url_has_a_rule():
    found = list(url_names())
    problems = [
        f"add a rule for URL name {name!r} (route {route!r}) in tests/web/test_permissions.py RULES"
        for name, route in found
        if name not in RULES and name != "<unnamed>"
    ]
    problems += [
        f"give the URL pattern {route!r} a name, then add its rule in "
        "tests/web/test_permissions.py RULES"
        for name, route in found
        if name == "<unnamed>"
    ]
    names = {name for name, _ in found}
    problems += [
        f"URL name {name!r} no longer exists: remove its rule from tests/web/test_permissions.py"
        for name in RULES
        if name not in names
    ]
    assert not problems, "\n".join(problems)


# -- the matrix ----------------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def sample(
    db,
    fake_engine,
    outsider,
    office_admin,
    market_user,
    education_user,
    inspector,
    reviewer,
):
    """The personas and one object of each kind, owned by 区市场监管局."""
    spec, _ = load_programme(items=ITEM)
    market_unit = ResponsibleUnit.objects.get(code="market-regulation")
    target = assignment(ITEM, "market-regulation")
    evidence = add_evidence(target, by=market_user, requirement=spec.item(ITEM).evidence[0])
    stored = private_storage.save(
        "evidence/test/permissions.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n")
    )
    evidence.file.name = stored
    evidence.save()
    rectification = add_rectification(
        market_unit, by=office_admin, deadline=date(2021, 8, 20), item=target.item
    )
    import_log = ImportLog.objects.create(
        ledger="sampling",
        file_name="x.xlsx",
        sha256="0" * 64,
        imported_by=market_user,
        unit=market_unit,
    )
    # A real complaint, so that a refused reveal is refused for an object that exists.
    complaint = Complaint.objects.create(
        complaint_number="TS-MATRIX",
        kind="complaint",
        org_unit_id=SUB_A,
        complainant_name="王某",
        complainant_phone="13800000000",
        received_on=date(2021, 3, 1),
        acceptance_due_on=date(2021, 3, 10),
    )
    # A restaurant with a grading (risk grading pages).
    business = FoodBusiness.objects.create(
        registry_number="REG-MATRIX",
        name="矩阵测试餐馆",
        sector="catering",
        business_format="restaurant",
        org_unit_id=SUB_A,
    )
    grading = Grading.objects.create(
        business=business,
        year=2021,
        scheme="national-2016@1",
        static_score=24,
        dynamic_score=0,
        total_score=24,
        score_grade="A",
        basis="no_checklist",
        graded_at=timezone.now(),
    )
    # A checklist of that restaurant with one photo of item 6.1.
    photo = ChecklistPhoto.objects.create(
        checklist=record_checklist(business, failed=("6.1",)),
        item="6.1",
        file=private_storage.save("checklist-photos/test/matrix.png", ContentFile(png())),
        original_name="matrix.png",
        content_type="image/png",
        size=len(png()),
        sha256="0" * 64,
    )
    credit_grade = CreditGrade.objects.create(
        business=business, month=date(2021, 10, 1), computed="B", score=0, spec_label="t", level="B"
    )
    # A district plan for 2021Q4 (no operators in this fixture: an empty plan with its draw).
    plan = plan_create(
        spec=plan_spec(), org_code=DISTRICT, period_code="2021Q4", actor=None, seed=1
    )
    # A saved sampling plan and a failed batch's disposal (抽检计划, 核查处置).
    sampling_plan = SamplingPlan.objects.create(
        number="CJ-MATRIX", org_unit_id=DISTRICT, year=2021, version=1, spec_label="t",
        spec_sha256="", inputs={"cells": []}, population=1000, created_at=timezone.now(),
    )  # fmt: skip
    failed = SamplingBatch.objects.create(
        sample_number="DC-MATRIX", sampled_on=date(2021, 5, 1), org_unit_id=SUB_A,
        sampling_type="surveillance", stage="circulation", business_format="supermarket",
        food_category="蔬菜", conclusion="nonconforming", reported_on=date(2021, 5, 20),
    )  # fmt: skip
    disposal = Disposal.objects.create(
        batch=failed, org_unit_id=SUB_A, reported_on=date(2021, 5, 20),
        serve_due_on=date(2021, 5, 27), spec_label="t", created_at=timezone.now(),
    )  # fmt: skip
    project = DemonstrationProject.objects.create(
        name="矩阵测试项目", unit=market_unit, category="smart", description="d",
        achievements="a", contact_name="张三", contact_phone="13800000000",
        submitted_on=date(2021, 8, 1), created_by=market_user,
    )  # fmt: skip
    site = FieldCheckSite.objects.create(
        unit=market_unit, business=business, address="矩阵路1号",
        proposed_on=date(2021, 8, 1), proposed_by=market_user,
    )  # fmt: skip
    # 任务时间轴 and 会议 (issue 17 points 3, 4): the market unit's share of item 6 as a task,
    # and a meeting it attended that gave it a decision.
    task = workplan_services.assignment_task(assignment=target, actor=office_admin)
    meeting = workplan_services.meeting_record(
        kind="scheduling", title="调度会", held_on=date(2021, 8, 2), place="会议室", chair="主任",
        minutes="", attendance={market_unit.pk: ("present", "")}, actor=office_admin,
    )  # fmt: skip
    workplan_services.decision_add(
        meeting=meeting, text="整改", owner_unit=market_unit, due_on=date(2021, 8, 20),
        actor=office_admin,
    )  # fmt: skip
    users = {
        "outsider": outsider,
        "office_admin": office_admin,
        "market_user": market_user,
        "education_user": education_user,
        "inspector": inspector,
        "reviewer": reviewer,
    }
    yield SimpleNamespace(
        users=users,
        assignment=target,
        evidence=evidence,
        rectification=rectification,
        credit_grade=credit_grade,
        import_log=import_log,
        complaint=complaint,
        business=business,
        grading=grading,
        plan=plan,
        photo=photo,
        sampling_plan=sampling_plan,
        disposal=disposal,
        project=project,
        site=site,
        task=task,
        meeting=meeting,
    )
    private_storage.delete(stored)
    private_storage.delete(photo.file.name)


def outcome(response) -> Expected:
    if response.status_code == 302:
        location = response["Location"]
        return LOGIN if location.startswith(("/login/", reverse("login"))) else REDIRECT
    return response.status_code


@pytest.mark.parametrize("name", sorted(RULES))
def test_permissions(name, sample):
    """Each persona gets the rule's outcome; all mismatches of a URL are reported at once."""
    r = RULES[name]
    url = reverse(name, kwargs=r.kwargs(sample) if r.kwargs else None)
    mismatches = []
    for persona in PERSONAS:
        client = Client()
        if persona != "anonymous":
            client.force_login(sample.users[persona])
        send = client.post if r.method == "post" else client.get
        got = outcome(send(url, r.data))
        if got != r.expected[persona]:
            mismatches.append(f"{persona}: expected {r.expected[persona]}, got {got}")
    assert not mismatches, f"{r.method.upper()} {url} ({name}):\n" + "\n".join(mismatches)


REFUSED = (403, 404)


def test_a_street_user_never_gets_more_than_another_unit(sample, django_user_model):
    """New-user N7: a user of one 街道 of 各街道办事处 (``Profile.division``) is another unit
    for every object of the sample (all 区市场监管局's): wherever 区教育局's user is refused,
    it is refused too (403 or 404, never the object); and a page of the whole unit's work
    that 区教育局 may open but that is not split by 街道 (``DIVISION_PAGES``) is 403 for it.
    One sample for every URL (the matrix's fixture is heavy)."""
    from foodsafe.accounts.models import Profile
    from foodsafe.accounts.permissions import DIVISION_PAGES, PAGE_ROLES

    streets, _ = ResponsibleUnit.objects.get_or_create(
        code="subdistricts", defaults={"name": "各街道办事处", "is_collective": True}
    )
    street = django_user_model.objects.create_user("street_user", password="street-pass-123")
    Profile.objects.create(
        user=street, role="member_unit", responsible_unit=streets, division_id=SUB_A
    )
    mismatches = []
    for name, r in sorted(RULES.items()):
        url = reverse(name, kwargs=r.kwargs(sample) if r.kwargs else None)
        client = Client()
        client.force_login(street)
        send = client.post if r.method == "post" else client.get
        got = outcome(send(url, r.data))
        other = r.expected["education_user"]
        if other in REFUSED and got not in REFUSED:
            mismatches.append(f"{name}: 区教育局 {other}, the 街道 user {got}")
        # The pages ``may_open`` governs (PAGE_ROLES); the rest decide per object above.
        whole_unit_page = name in PAGE_ROLES and name not in DIVISION_PAGES and not r.kwargs
        if whole_unit_page and other == 200 and got != 403:
            mismatches.append(f"{name}: a page of the whole unit's work, the 街道 user {got}")
    assert not mismatches, "\n".join(mismatches)
