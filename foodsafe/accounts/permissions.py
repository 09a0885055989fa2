"""Who may see and do what: the one place views and selectors ask.

Roles (``accounts.Role``): the programme office (创城办) sees and manages everything; a member
unit user sees and edits only its own unit's items, evidence and rectifications (another unit's
object is a 404, not a 403, so its existence does not leak); a reviewer (评审专家) reads all
evidence, reviews it and records findings; an inspector (监管人员) works the ledgers and reads
the scorecard. A superuser counts as programme office. A user without a profile has no role.
"""

from __future__ import annotations

from typing import Any, cast

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from foodsafe.orgunits.models import subtree_prefix

from .models import Profile, Role


def user_role(user: Any) -> str | None:
    """The user's role code, ``office_admin`` for superusers, ``None`` for anonymous users or
    users without a profile."""
    if not getattr(user, "is_authenticated", False):
        return None
    if user.is_superuser:
        return Role.OFFICE_ADMIN
    profile = _profile(user)
    return profile.role if profile else None


def user_unit_id(user: Any) -> int | None:
    """The responsible unit a member-unit user acts for as a whole (``None`` for other roles).

    ``None`` also for a user bound to one 街道 (``Profile.division``): every check that
    compares this with an object's unit then refuses them, so a page or service that does not
    know about 街道 fails closed (new-user N7). The checks that do know ask
    :func:`member_unit_id`, :func:`user_division` and :func:`acts_for`."""
    profile = _profile(user)
    if profile is None or profile.role != Role.MEMBER_UNIT or profile.division_id:
        return None
    return profile.responsible_unit_id


def user_unit(user: Any) -> Any:
    """The ResponsibleUnit a member-unit user acts for as a whole (``None`` for other roles
    and for a 街道 user, as :func:`user_unit_id`); read with the profile, no query of its own."""
    profile = _profile(user)
    if profile is None or profile.role != Role.MEMBER_UNIT or profile.division_id:
        return None
    return profile.responsible_unit


def member_unit(user: Any) -> Any:
    """The ResponsibleUnit of any member-unit user, whole unit or one 街道 (``None`` for other
    roles)."""
    profile = _profile(user)
    if profile is None or user_role(user) != Role.MEMBER_UNIT:
        return None
    return profile.responsible_unit


def user_division(user: Any) -> str | None:
    """The 12-digit code of the 街道 a member-unit user is bound to (``Profile.division``),
    ``None`` for a whole-unit user and every other role."""
    profile = _profile(user)
    if profile is None or user_role(user) != Role.MEMBER_UNIT:
        return None
    return profile.division_id


def in_user_division(user: Any, division_code: str | None) -> bool:
    """Is ``division_code`` inside the subtree of ``user``'s 街道 (its code prefix, as a
    ledger row is inside an org unit)? False for a blank code (the district's own objects are
    not one 街道's) and for a user without a 街道."""
    own = user_division(user)
    if not own or not division_code:
        return False
    return division_code.startswith(subtree_prefix(own))


def acts_for(user: Any, unit_id: int | None, division_code: str | None = None) -> bool:
    """May member-unit ``user`` act for an object of unit ``unit_id`` placed in
    ``division_code`` (its 区划; ``None`` for objects without one)? A whole-unit user for
    every object of its unit; a 街道 user only for those of its unit inside its 街道
    (N7: "a unit sees and changes only its own"). A superuser counts as office here, as in
    :func:`user_role`, even with a member-unit profile."""
    profile = _profile(user)
    if profile is None or user_role(user) != Role.MEMBER_UNIT or unit_id is None:
        return False
    if profile.responsible_unit_id != unit_id:
        return False
    return not profile.division_id or in_user_division(user, division_code)


def _profile(user: Any) -> Profile | None:
    if not getattr(user, "is_authenticated", False):
        return None
    if hasattr(user, "_foodsafe_profile"):
        return cast(Profile | None, user._foodsafe_profile)
    profile = Profile.objects.filter(user=user).select_related("responsible_unit").first()
    user._foodsafe_profile = profile
    return profile


def is_office(user: Any) -> bool:
    return user_role(user) == Role.OFFICE_ADMIN


def is_reviewer(user: Any) -> bool:
    return user_role(user) == Role.REVIEWER


def is_member_unit(user: Any) -> bool:
    return user_role(user) == Role.MEMBER_UNIT


def is_inspector(user: Any) -> bool:
    return user_role(user) == Role.INSPECTOR


#: Roles that import ledgers: member units upload their own ledgers, inspectors keep the
#: registry, the office does both.
IMPORT_ROLES = (Role.OFFICE_ADMIN, Role.MEMBER_UNIT, Role.INSPECTOR)


def can_import_ledgers(user: Any) -> bool:
    """May ``user`` import ledger files? Office admins, member units and inspectors may;
    staff, superusers and holders of ``imports.add_importlog`` may too; reviewers and users
    without a role may not."""
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_staff or user.is_superuser or user.has_perm("imports.add_importlog"):
        return True
    return user_role(user) in IMPORT_ROLES


def require_role(user: Any, *roles: str) -> None:
    """Raise ``PermissionDenied`` (403) unless the user has one of ``roles``."""
    if user_role(user) not in roles:
        raise PermissionDenied


#: Where a 街道 user's objects are: for each model (``app_label.modelname``) the lookup
#: paths of its division (区划, an OrgUnit FK keyed by code); an object is the 街道's when one
#: of them lies in its subtree. ``SHARED``: the object is the whole unit's slot that each 街道
#: works in (an item's assignment to 各街道办事处: its evidence is split by division). A
#: model not listed has no division: a 街道 user sees none of it (fail closed; the whole-unit
#: login keeps it).
SHARED: tuple[str, ...] = ()
DIVISION_PATHS: dict[str, tuple[str, ...]] = {
    "rectification.rectification": ("org_unit",),
    # A file for a rectification is placed by its rectification when it has no 区划 itself.
    "evidence.evidence": ("org_unit", "rectification__org_unit"),
    "complaints.complaint": ("org_unit",),
    "programme.itemassignment": SHARED,
}


def _division_filter(queryset: QuerySet[Any], division: str) -> QuerySet[Any]:
    paths = DIVISION_PATHS.get(queryset.model._meta.label_lower)
    if paths is None:
        return queryset.none()
    if not paths:  # SHARED
        return queryset
    prefix = subtree_prefix(division)
    match = Q()
    for path in paths:
        match |= Q(**{f"{path}__code__startswith": prefix})
    return queryset.filter(match)


def scope_to_unit(queryset: QuerySet[Any], user: Any, unit_field: str) -> QuerySet[Any]:
    """Filter ``queryset`` to what ``user`` may see.

    Office admins and reviewers see everything; a member-unit user sees rows whose
    ``unit_field`` (a lookup path ending in a ResponsibleUnit FK, e.g. ``"owner_unit"`` or
    ``"assignment__responsible_unit"``) is their unit, and a 街道 user of them only those in
    its 街道 (``DIVISION_PATHS``; none of a model without a division); anyone else nothing.
    """
    role = user_role(user)
    if role in (Role.OFFICE_ADMIN, Role.REVIEWER):
        return queryset
    if role == Role.MEMBER_UNIT:
        profile = _profile(user)
        assert profile is not None  # a role comes from a profile (or superuser = office)
        rows = queryset.filter(**{unit_field: profile.responsible_unit_id})
        if profile.division_id:
            return _division_filter(rows, profile.division_id)
        return rows
    return queryset.none()


def get_scoped_or_404(queryset: QuerySet[Any], user: Any, unit_field: str, **lookup: Any) -> Any:
    """The object matching ``lookup`` among those ``user`` may see, else 404 (never 403)."""
    obj = scope_to_unit(queryset, user, unit_field).filter(**lookup).first()
    if obj is None:
        raise Http404
    return obj


# -- pages: who may open which (the navigation and the views ask the same table) --------------

ALL_ROLES = (Role.OFFICE_ADMIN, Role.MEMBER_UNIT, Role.INSPECTOR, Role.REVIEWER)
#: Office, reviewers and member units (a member unit sees only its own objects there).
READERS = (Role.OFFICE_ADMIN, Role.REVIEWER, Role.MEMBER_UNIT)

#: The roles that may open each page a menu links to. ``imports:upload`` and ``admin:index``
#: are decided by :func:`can_import_ledgers` and ``is_staff``; complaints pages by permissions
#: (see ``foodsafe.complaints.views``), so they are listed in :func:`may_open` directly.
PAGE_ROLES: dict[str, tuple[str, ...]] = {
    "web:home": ALL_ROLES,
    "web:scorecard": ALL_ROLES,
    "dashboard:home": ALL_ROLES,
    "dashboard:dashboard": ALL_ROLES,
    "tasks:board": READERS,
    "tasks:item": READERS,
    "evidence:index": READERS,
    "rectification:list": READERS,
    "rectification:export": READERS,
    # 阶段性自查说明 (issue 17): a member unit its own, the office and reviewers any unit's
    "rectification:self_check": READERS,
    "supervision:overdue": READERS,
    # 材料报送 (issue 17 point 1): a unit files its own modules; the office and reviewers read
    # all and download the archive
    "materials:index": READERS,
    # 信息报送 (issue 17 point 7): units send their own reports; the office sets the schedule
    # and compiles 工作简报; reviewers read
    "inforeports:index": READERS,
    "supervision:performance": (Role.OFFICE_ADMIN,),
    # 站内通知: every role has its own list (issue 17 point 8)
    "supervision:notifications": ALL_ROLES,
    # 工作日日历: the office loads each year's holiday arrangement (issue 9 point 1)
    "supervision:calendar": (Role.OFFICE_ADMIN,),
    # 风险分级 (issue 12): the office grades and confirms; inspectors and reviewers read; an
    # inspection checklist is recorded by inspectors and the office.
    "riskgrading:index": (Role.OFFICE_ADMIN, Role.INSPECTOR, Role.REVIEWER),
    "riskgrading:checklist": (Role.OFFICE_ADMIN, Role.INSPECTOR),
    # 静态风险因素和调整事实: the office, which grades (issue 12).
    "riskgrading:records": (Role.OFFICE_ADMIN,),
    # 监督检查计划 (issue 13): the office and member units plan (a unit only the area the plan
    # spec gives it); an inspector sees the items assigned to them.
    "inspectionplan:due": (Role.OFFICE_ADMIN, Role.MEMBER_UNIT, Role.INSPECTOR),
    "inspectionplan:plans": (Role.OFFICE_ADMIN, Role.MEMBER_UNIT, Role.INSPECTOR),
    # 投诉举报办理 (issue 16): the office assigns and handles all; a member unit handles those
    # assigned to it; complaint handlers (投诉举报处理人员) of any role see all (the view asks).
    "complainthandling:list": (Role.OFFICE_ADMIN, Role.MEMBER_UNIT),
    "complainthandling:statistics": (Role.OFFICE_ADMIN,),
    # 满意度和知晓率 (issue 16): the office runs the survey (results, weights, phone entry).
    "surveys:results": (Role.OFFICE_ADMIN,),
    # 公示与异议 (issue 16): the office publishes notices and answers objections.
    "notices:list": (Role.OFFICE_ADMIN,),
    # 我承办的异议 (new-user F17): an objection's handler, whatever their role, sees and answers
    # the objections assigned to them (the page lists only those; another's is a 404).
    "notices:objections": ALL_ROLES,
    # 抽检计划, 核查处置 and 信息公开 (issue 15): the office and 区市场监管局's inspectors;
    # 区市场监管局's member-unit login too (``may_open`` asks ``is_regulator_unit``).
    "samplingplan:plans": (Role.OFFICE_ADMIN, Role.INSPECTOR),
    # 信用监管 (issue 14): the office classes and decides; the rest read the operators they may
    # see (a member unit only its own kind: riskgrading.selectors.visible_businesses).
    "credit:index": (Role.OFFICE_ADMIN, Role.MEMBER_UNIT, Role.INSPECTOR, Role.REVIEWER),
    # 示范引领项目 and 现场检查点位 (issue 17 point 5): units apply and propose for their own
    # unit, the office reviews, confirms and exports the list for 国食办; reviewers read (they
    # visit the sites); a unit sees only its own.
    "demonstration:projects": READERS,
    "demonstration:sites": READERS,
    "demonstration:project_new": (Role.OFFICE_ADMIN, Role.MEMBER_UNIT),
    "demonstration:site_new": (Role.OFFICE_ADMIN, Role.MEMBER_UNIT),
    "demonstration:projects_export": (Role.OFFICE_ADMIN,),
    # 绩效考核 (issue 17 point 6): the office ranks every unit, exports and comments; a member
    # unit sees its own row and the office's comment on it.
    "performance:ranking": (Role.OFFICE_ADMIN, Role.MEMBER_UNIT),
    "performance:export": (Role.OFFICE_ADMIN,),
    "performance:comment": (Role.OFFICE_ADMIN,),
    # 任务时间轴 (issue 17 point 3): a unit its own tasks, the office and reviewers every unit's
    # (reviewers read only); 责任人 and 会议 (point 4): the office and member units.
    "workplan:timeline": READERS,
    "workplan:people": (Role.OFFICE_ADMIN, Role.MEMBER_UNIT),
    "workplan:meetings": (Role.OFFICE_ADMIN, Role.MEMBER_UNIT),
}


#: The pages a 街道 user (``Profile.division``) may open: those whose objects are scoped by
#: division (rectifications, evidence, complaints handled, their own imports) and the
#: district-wide read-only pages. Every other page is the whole unit's (filings, info
#: reports, workplan, demonstration, performance, plans) and is refused to them (N7).
DIVISION_PAGES = frozenset(
    {
        "web:home",
        "web:scorecard",
        "dashboard:home",
        "dashboard:dashboard",
        "evidence:index",
        "rectification:list",
        "rectification:export",
        "supervision:overdue",
        "supervision:notifications",
        "complainthandling:list",
        "imports:upload",
    }
)


def may_open(user: Any, url_name: str) -> bool:
    """See :func:`_may_open`; a 街道 user only the ``DIVISION_PAGES`` among them."""
    allowed = _may_open(user, url_name)
    if allowed and url_name not in DIVISION_PAGES and user_division(user):
        return False
    return allowed


def _may_open(user: Any, url_name: str) -> bool:
    """May ``user`` open the page named ``url_name`` (``namespace:name``)? The one answer both
    the navigation (``foodsafe.web.navigation``) and the page's view use, so a menu never shows
    a link the user would get 403 from. An unknown name raises ``KeyError`` (a page added to
    the menu must be added here)."""
    if not getattr(user, "is_authenticated", False):
        return False
    if url_name == "imports:upload":
        return can_import_ledgers(user)
    if url_name == "admin:index":
        return bool(user.is_staff and user.is_active)
    if url_name == "complaints:list":
        # The office and inspectors (who keep the ledgers) see the masked list; a complaint
        # handler (group 投诉举报处理人员) of any role too. Member units do not: the
        # complaints are the whole district's, not one unit's.
        return user_role(user) in (Role.OFFICE_ADMIN, Role.INSPECTOR) or bool(
            user.has_perm("complaints.view_personal_data")
        )
    if url_name == "complainthandling:list":
        # 投诉举报办理: the office, member units (their own) and complaint handlers of any role.
        return user_role(user) in PAGE_ROLES[url_name] or bool(
            user.has_perm("complaints.view_personal_data")
        )
    if url_name == "complaints:reveals":
        return is_office(user)
    if url_name == "samplingplan:plans":
        # 抽检计划 is run by 区市场监管局: its inspectors and its member-unit login; no other
        # member unit sees it (the pages ask :func:`may_run_sampling` for the writes).
        return user_role(user) in PAGE_ROLES[url_name] or is_regulator_unit(user)
    return user_role(user) in PAGE_ROLES[url_name]


#: The member unit that regulates every food business and runs food sampling (区市场监管局).
REGULATOR_UNIT = "market-regulation"


def is_regulator_unit(user: Any) -> bool:
    """Is ``user`` a member-unit login of 区市场监管局 (``REGULATOR_UNIT``)? Read with the
    profile, so no query of its own."""
    unit = user_unit(user)
    return unit is not None and unit.code == REGULATOR_UNIT


def may_run_sampling(user: Any) -> bool:
    """May ``user`` make sampling plans (generate, save, special lines) and record their
    publication? The office and inspectors; 区市场监管局's member-unit login reads the plans
    and works the 核查处置 of its own batches (the views ask), but plans are made by the
    inspectors who keep the sampling ledger (DESIGN: inspectors run the sampling plans)."""
    return user_role(user) in PAGE_ROLES["samplingplan:plans"]


def require_may_open(user: Any, url_name: str) -> None:
    """Raise ``PermissionDenied`` (403) unless :func:`may_open`."""
    if not may_open(user, url_name):
        raise PermissionDenied
