"""The site's main menu: one list of pages, each shown only to users who may open it.

The filter is ``accounts.permissions.may_open``, the same check the pages' views make, so a
role never sees a link that would answer 403 (issue 9 point 5). Add a page here and in
``PAGE_ROLES`` together; ``tests/web/test_navigation.py`` opens every link as every role.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.functional import Promise, SimpleLazyObject
from django.utils.translation import gettext_lazy as _

from foodsafe.accounts.permissions import may_open
from foodsafe.orgunits.models import OrgUnit
from foodsafe.supervision.selectors import notifications_unread_count


@dataclass(frozen=True)
class NavLink:
    url_name: str
    label: str | Promise


NAVIGATION: tuple[NavLink, ...] = (
    NavLink("web:home", _("评价总览")),
    NavLink("tasks:board", _("任务看板")),
    NavLink("workplan:timeline", _("任务时间轴")),
    NavLink("workplan:meetings", _("会议")),
    NavLink("dashboard:home", _("数据看板")),
    NavLink("supervision:overdue", _("逾期督办")),
    NavLink("performance:ranking", _("绩效考核")),
    NavLink("supervision:notifications", _("通知")),
    NavLink("supervision:calendar", _("工作日日历")),
    NavLink("riskgrading:index", _("风险分级")),
    NavLink("inspectionplan:plans", _("检查计划")),
    NavLink("samplingplan:plans", _("抽检计划")),
    NavLink("credit:index", _("信用监管")),
    NavLink("imports:upload", _("台账导入")),
    NavLink("evidence:index", _("佐证材料")),
    NavLink("materials:index", _("材料报送")),
    NavLink("inforeports:index", _("信息报送")),
    NavLink("rectification:list", _("整改台账")),
    NavLink("complaints:list", _("投诉举报")),
    NavLink("complainthandling:list", _("投诉办理")),
    NavLink("surveys:results", _("满意度调查")),
    NavLink("notices:list", _("公示")),
    NavLink("demonstration:projects", _("示范引领")),
    NavLink("admin:index", _("管理后台")),
)


def links_for(user: Any) -> list[dict[str, Any]]:
    """The menu entries ``user`` may open: ``{"url", "label", "url_name"}``."""
    return [
        {"url": reverse(link.url_name), "label": link.label, "url_name": link.url_name}
        for link in NAVIGATION
        if may_open(user, link.url_name)
    ]


def navigation(request: HttpRequest) -> dict[str, Any]:
    """Context processor: ``nav_links`` for the layout (empty for anonymous users), the
    user's unread notification count (the badge beside 通知) and whether the example
    district (示例数据) is loaded, for the banner on every page. Both are lazy: a page that
    does not use the layout pays no query."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_links": []}
    return {
        "nav_links": links_for(user),
        "notifications_unread": SimpleLazyObject(lambda: notifications_unread_count(user=user)),
        "example_data_loaded": SimpleLazyObject(
            lambda: OrgUnit.objects.filter(is_example=True).exists()
        ),
    }
