"""Workplan pages: the timeline (任务时间轴), a task with its 责任人 and milestones, the people
list, meetings (会议) with attendance and decisions.

Thin views: check the page's roles, shape input with a form, call one service, render.
The services decide who may change what (a unit its own, the office all) and raise
``PermissionDenied`` (403) otherwise; another unit's task or meeting is a 404.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from foodsafe.accounts.permissions import (
    is_office,
    may_open,
    require_may_open,
    scope_to_unit,
    user_unit_id,
)
from foodsafe.audit import merged_history, object_history
from foodsafe.orgunits.models import ResponsibleUnit
from foodsafe.programme.in_force import programme_spec
from foodsafe.programme.models import ItemAssignment

from . import selectors, services, timeline
from .forms import (
    ATTENDANCE_CHOICES,
    DecisionForm,
    MeetingForm,
    MilestoneDoneForm,
    MilestoneForm,
    PersonForm,
    TaskDoneForm,
    TaskPlanForm,
    attendance_from_post,
)
from .models import Meeting, Person, TaskKind


def _error(request: HttpRequest, exc: Exception) -> None:
    messages.error(request, str(exc))


@login_required
def timeline_page(request: HttpRequest) -> HttpResponse:
    """任务时间轴: a unit's own tasks, or (office, reviewers) the district's or one unit's."""
    require_may_open(request.user, "workplan:timeline")
    page = timeline.timeline(
        user=request.user,
        on=timezone.localdate(),
        unit_code=request.GET.get("unit", "").strip(),
        kind=request.GET.get("kind", "").strip(),
        status=request.GET.get("status", "").strip(),
    )
    return render(
        request,
        "workplan/timeline.html",
        {
            "page": page,
            "kinds": TaskKind.choices,
            "statuses": selectors.DueStatus.choices,
            "status_counts": [(v, page.counts[v]) for v in selectors.DueStatus.values],
            "may_sync": is_office(request.user),
            # 责任人 and 会议 are linked only for who may open them (reviewers read the
            # timeline but not those pages: new-user N10).
            "may_open_people": may_open(request.user, "workplan:people"),
            "may_open_meetings": may_open(request.user, "workplan:meetings"),
            "may_plan": page.unit is not None
            and services.may_change_unit(request.user, page.unit.pk),
        },
    )


@login_required
@require_POST
def phase_sync(request: HttpRequest) -> HttpResponse:
    """从方案载入阶段工作 (office): one task per ``phases[].work`` entry of the spec."""
    require_may_open(request.user, "workplan:timeline")
    try:
        created, updated = services.phase_tasks_sync(spec=programme_spec(), actor=request.user)
    except services.WorkplanError as exc:
        _error(request, exc)
    else:
        messages.success(request, f"阶段工作：新增 {created} 项，更新 {updated} 项")
    return redirect("workplan:timeline")


@login_required
@require_POST
def assignment_plan(request: HttpRequest, pk: int) -> HttpResponse:
    """设定责任人和节点 of a key-task share: its task, made on first use."""
    require_may_open(request.user, "workplan:timeline")
    assignment = get_object_or_404(
        scope_to_unit(
            ItemAssignment.objects.select_related("item"), request.user, "responsible_unit"
        ),
        pk=pk,
    )
    task = services.assignment_task(assignment=assignment, actor=request.user)
    return redirect("workplan:task", pk=task.pk)


def _task_action(request: HttpRequest, task: Any) -> None:
    action, actor = request.POST.get("action", ""), request.user
    form: forms.Form
    if action == "plan":
        lock = task.kind in (TaskKind.DECISION, TaskKind.PHASE) and not is_office(actor)
        form = TaskPlanForm(
            request.POST,
            unit_id=task.owner_unit_id,
            lock_dates=lock,
            initial={"start_on": task.start_on, "due_on": task.due_on},
        )
        if not form.is_valid():
            raise services.WorkplanError(_form_errors(form))
        d = form.cleaned_data
        services.task_plan(
            task=task, person=d["person"], start_on=d["start_on"], due_on=d["due_on"], actor=actor
        )
    elif action == "done":
        form = TaskDoneForm(request.POST)
        if not form.is_valid():
            raise services.WorkplanError(_form_errors(form))
        services.task_done(
            task=task,
            done_on=form.cleaned_data["done_on"],
            note=form.cleaned_data["done_note"],
            actor=actor,
        )
    elif action == "reopen":
        services.task_done(task=task, done_on=None, actor=actor)
    elif action == "milestone_add":
        form = MilestoneForm(request.POST)
        if not form.is_valid():
            raise services.WorkplanError(_form_errors(form))
        services.milestone_add(
            task=task,
            title=form.cleaned_data["title"],
            due_on=form.cleaned_data["due_on"],
            actor=actor,
        )
    elif action in ("milestone_done", "milestone_delete", "milestone_reopen"):
        milestone = get_object_or_404(task.milestones, pk=request.POST.get("milestone"))
        if action == "milestone_delete":
            services.milestone_delete(milestone=milestone, actor=actor)
        elif action == "milestone_reopen":
            services.milestone_done(milestone=milestone, done_on=None, actor=actor)
        else:
            form = MilestoneDoneForm(request.POST)
            if not form.is_valid():
                raise services.WorkplanError(_form_errors(form))
            services.milestone_done(
                milestone=milestone,
                done_on=form.cleaned_data["done_on"],
                evidence_url=form.cleaned_data["evidence_url"],
                actor=actor,
            )
    else:
        raise services.WorkplanError("未知操作")


def _form_errors(form: Any) -> str:
    return "；".join(
        f"{form.fields[name].label if name in form.fields else ''}：{' '.join(errs)}"
        for name, errs in form.errors.items()
    )


@login_required
@require_http_methods(["GET", "POST"])
def task_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A task: owner unit, 责任人, dates, milestones, completion and history."""
    require_may_open(request.user, "workplan:timeline")
    task = timeline.task_or_404(user=request.user, pk=pk)
    if request.method == "POST":
        if not services.may_change_unit(request.user, task.owner_unit_id):
            raise PermissionDenied
        try:
            _task_action(request, task)
        except services.WorkplanError as exc:
            _error(request, exc)
        else:
            messages.success(request, "已保存")
        return redirect("workplan:task", pk=pk)
    on = timezone.localdate()
    page = timeline.task_page(task=task, user=request.user, on=on)
    may_change = services.may_change_unit(request.user, task.owner_unit_id)
    lock = task.kind in (TaskKind.DECISION, TaskKind.PHASE) and not is_office(request.user)
    context = {
        "page": page,
        "on": on,
        "may_change": may_change,
        "plan_form": TaskPlanForm(
            unit_id=task.owner_unit_id,
            lock_dates=lock,
            initial={"person": task.person_id, "start_on": task.start_on, "due_on": task.due_on},
        ),
        "done_form": TaskDoneForm(
            initial={"done_on": task.done_on or on, "done_note": task.done_note}
        ),
        "milestone_form": MilestoneForm(),
        "history": merged_history(type(task).objects.filter(pk=task.pk), task.milestones.all()),
    }
    return render(request, "workplan/task.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def people(request: HttpRequest) -> HttpResponse:
    """责任人: a unit's named people (the office sees every unit's and may add to any)."""
    require_may_open(request.user, "workplan:people")
    own = user_unit_id(request.user)
    unit: ResponsibleUnit | None = None
    code = request.GET.get("unit", "").strip() or request.POST.get("unit", "").strip()
    if own is not None:
        unit = ResponsibleUnit.objects.get(pk=own)
    elif code:
        unit = get_object_or_404(ResponsibleUnit, code=code)
    form = PersonForm(request.POST or None)
    if request.method == "POST":
        if unit is None:
            raise Http404
        editing = None
        if request.POST.get("person"):
            editing = get_object_or_404(
                scope_to_unit(Person.objects.all(), request.user, "unit"),
                pk=request.POST.get("person"),
            )
        if form.is_valid():
            d = form.cleaned_data
            try:
                services.person_save(
                    unit=unit,
                    name=d["name"],
                    post=d["post"],
                    phone=d["phone"],
                    person=editing,
                    actor=request.user,
                )
            except services.WorkplanError as exc:
                _error(request, exc)
            else:
                messages.success(request, "已保存")
                url = redirect("workplan:people").url
                return redirect(f"{url}?unit={unit.code}" if own is None else url)
    rows = timeline.people_rows(user=request.user, unit=unit)
    return render(
        request,
        "workplan/people.html",
        {
            "rows": rows,
            "unit": unit,
            "units": [] if own is not None else ResponsibleUnit.objects.order_by("name"),
            "form": form,
            "may_add": unit is not None and services.may_change_unit(request.user, unit.pk),
        },
    )


# -- meetings ------------------------------------------------------------------------------


def _attendance_rows(meeting: Meeting | None) -> list[dict[str, Any]]:
    current = {a.unit_id: a for a in meeting.attendance.all()} if meeting else {}
    return [
        {
            "unit": u,
            "status": current[u.pk].status if u.pk in current else "",
            "attendee": current[u.pk].attendee if u.pk in current else "",
        }
        for u in ResponsibleUnit.objects.filter(is_collective=False).order_by("name")
    ]


@login_required
@require_http_methods(["GET", "POST"])
def meetings(request: HttpRequest) -> HttpResponse:
    """会议: the meetings a user may see; the office records a new one here, with the open
    decisions of earlier meetings listed for follow-up."""
    require_may_open(request.user, "workplan:meetings")
    form = MeetingForm(request.POST or None)
    if request.method == "POST":
        if not is_office(request.user):
            raise PermissionDenied
        if form.is_valid():
            d = form.cleaned_data
            units = list(ResponsibleUnit.objects.filter(is_collective=False))
            try:
                meeting = services.meeting_record(
                    kind=d["kind"],
                    title=d["title"],
                    held_on=d["held_on"],
                    place=d["place"],
                    chair=d["chair"],
                    minutes=d["minutes"],
                    attendance=attendance_from_post(request.POST, units),
                    actor=request.user,
                )
            except services.WorkplanError as exc:
                _error(request, exc)
            else:
                messages.success(request, "会议已记录")
                return redirect("workplan:meeting", pk=meeting.pk)
    on = timezone.localdate()
    # the decision count per meeting counts only the decisions the user may see (a unit its own)
    rows = (
        selectors.meetings_visible(user=request.user)
        .prefetch_related(
            Prefetch("decisions", queryset=selectors.decisions_visible(user=request.user))
        )
        .order_by("-held_on", "-id")
    )
    return render(
        request,
        "workplan/meetings.html",
        {
            "meetings": rows,
            "form": form,
            "is_office": is_office(request.user),
            "attendance_rows": _attendance_rows(None) if is_office(request.user) else [],
            "attendance_choices": ATTENDANCE_CHOICES,
            "open_decisions": selectors.open_decisions_before(user=request.user, held_on=on, on=on),
            "on": on,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A meeting: minutes, attendance, its decisions (a unit sees its own), and the earlier
    meetings' decisions open at its date (跟进). The office edits and adds decisions."""
    require_may_open(request.user, "workplan:meetings")
    meeting = get_object_or_404(selectors.meetings_visible(user=request.user), pk=pk)
    on = timezone.localdate()
    form = MeetingForm(
        request.POST if request.POST.get("action") == "edit" else None,
        initial={
            "kind": meeting.kind,
            "title": meeting.title,
            "held_on": meeting.held_on,
            "place": meeting.place,
            "chair": meeting.chair,
            "minutes": meeting.minutes,
        },
    )
    decision_form = DecisionForm(request.POST if request.POST.get("action") == "decision" else None)
    if request.method == "POST":
        if not is_office(request.user):
            raise PermissionDenied
        try:
            if request.POST.get("action") == "decision" and decision_form.is_valid():
                d = decision_form.cleaned_data
                services.decision_add(
                    meeting=meeting,
                    text=d["text"],
                    owner_unit=d["owner_unit"],
                    due_on=d["due_on"],
                    actor=request.user,
                )
                messages.success(request, "议定事项已添加")
                return redirect("workplan:meeting", pk=pk)
            if request.POST.get("action") == "edit" and form.is_valid():
                d = form.cleaned_data
                units = list(ResponsibleUnit.objects.filter(is_collective=False))
                services.meeting_record(
                    kind=d["kind"],
                    title=d["title"],
                    held_on=d["held_on"],
                    place=d["place"],
                    chair=d["chair"],
                    minutes=d["minutes"],
                    attendance=attendance_from_post(request.POST, units),
                    meeting=meeting,
                    actor=request.user,
                )
                messages.success(request, "已保存")
                return redirect("workplan:meeting", pk=pk)
        except services.WorkplanError as exc:
            _error(request, exc)
    page = selectors.meeting_page(meeting=meeting, user=request.user, on=on)
    return render(
        request,
        "workplan/meeting.html",
        {
            "page": page,
            "on": on,
            "is_office": is_office(request.user),
            "form": form,
            "decision_form": decision_form,
            "attendance_rows": _attendance_rows(meeting) if is_office(request.user) else [],
            "attendance_choices": ATTENDANCE_CHOICES,
            "history": object_history(meeting) if is_office(request.user) else [],
        },
    )
