"""Key-task pages: the task board, a task item's page and a member unit's home page.

Thin views: check the role, call one selector, render. Who may see what:

- task board ``/programme/tasks/`` and item pages ``/programme/items/<number>/``: office admins
  and reviewers see every unit; a member-unit user sees only its own unit's assignments, and an
  item its unit is not assigned to is a 404; inspectors and users without a role get 403.
- unit home: the home page ``/`` of a member-unit user (``foodsafe.web.views.home``).
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from foodsafe.accounts.models import Role
from foodsafe.accounts.permissions import require_may_open
from foodsafe.programme.in_force import programme_spec

from . import selectors

BOARD_ROLES = (Role.OFFICE_ADMIN, Role.REVIEWER, Role.MEMBER_UNIT)


@login_required
def board(request: HttpRequest) -> HttpResponse:
    """The task board (任务看板); ``?group=&unit=&status=`` filter it."""
    require_may_open(request.user, "tasks:board")
    page = selectors.task_board(
        user=request.user,
        spec=programme_spec(),
        today=timezone.localdate(),
        group=request.GET.get("group", "").strip(),
        unit=request.GET.get("unit", "").strip(),
        status=request.GET.get("status", "").strip(),
    )
    return render(request, "tasks/board.html", {"board": page})


@login_required
def item_detail(request: HttpRequest, number: int) -> HttpResponse:
    """A task item (重点任务): its text, units, requirements, evidence per unit and history."""
    require_may_open(request.user, "tasks:item")
    page = selectors.item_page(
        user=request.user, spec=programme_spec(), number=number, today=timezone.localdate()
    )
    return render(request, "tasks/item.html", {"page": page})


def unit_home(request: HttpRequest) -> HttpResponse:
    """A member unit's open work in deadline order; called by the home view for such users."""
    spec = programme_spec()
    home = selectors.unit_open_work(user=request.user, spec=spec, today=timezone.localdate())
    # The programme's own unit and year: the scorecard the home page links to.
    scorecard_args = {"org_code": spec.programme.org_unit, "period": str(spec.programme.year)}
    return render(request, "tasks/unit_home.html", {"home": home, "scorecard_args": scorecard_args})
