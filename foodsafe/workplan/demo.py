"""The example district's workplan (示例数据) through the real services: the phases' work from
the spec, named people (责任人) with made-up phones, a few key-task shares planned with
milestones, and the 2021 meetings with attendance and decisions. Running it again adds
nothing (people by name, tasks by spec key or assignment, meetings by title).

What it shows: most work done on time, some late (逾期完成), and a few things still open past
their date, so the timeline, the follow-up at the next meeting and 逾期督办 are not empty.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from foodsafe.orgunits.models import ResponsibleUnit
from foodsafe.programme.models import ItemAssignment
from foodsafe.programme.spec import ProgrammeSpec

from . import services
from .models import Meeting, Person, Task, TaskKind

#: unit code → (name, post, phone): made up, marked 示例; the numbers are not real lines.
PEOPLE = {
    "committee-office": ("李示例", "区食药安办副主任", "13800000001"),
    "market-regulation": ("王示例", "食品安全协调科科长", "13800000002"),
    "education": ("赵示例", "后勤保障科科长", "13800000003"),
    "party-publicity": ("孙示例", "宣传科科长", "13800000004"),
    "health": ("周示例", "卫生监督科科长", "13800000005"),
    "commerce": ("吴示例", "市场运行科科长", "13800000006"),
}

#: phase work spec key → the day it was done (None: still open); the rest are done on their
#: due date. 智慧监管 ran late; the 国家验收 work is left open.
PHASE_DONE = {
    "launch.smart-supervision": date(2021, 7, 20),
    "full_push.self-evaluation": date(2021, 8, 13),
    "national_acceptance.national-acceptance": None,
}

#: key-task shares planned with milestones: (item, unit, due, [(milestone, due, done)], done)
ASSIGNMENTS: list[tuple[int, str, date, list[tuple[str, date, date | None]], date | None]] = [
    (
        28,
        "market-regulation",
        date(2021, 8, 31),
        [
            ("排查“三小”底数，建立台账", date(2021, 7, 15), date(2021, 7, 14)),
            ("完成小餐饮整改提升", date(2021, 8, 15), date(2021, 8, 20)),
            ("复查销号", date(2021, 8, 31), date(2021, 8, 31)),
        ],
        date(2021, 8, 31),
    ),
    (
        29,
        "education",
        date(2021, 8, 31),
        [
            ("学校食堂明厨亮灶摸底", date(2021, 7, 20), date(2021, 7, 19)),
            ("未覆盖食堂安装到位", date(2021, 8, 25), None),
        ],
        None,
    ),
    (
        5,
        "market-regulation",
        date(2021, 9, 30),
        [
            ("制定年度监督检查计划", date(2021, 7, 10), date(2021, 7, 9)),
            ("完成秋季开学检查", date(2021, 9, 15), date(2021, 9, 14)),
        ],
        date(2021, 9, 28),
    ),
]


@dataclass(frozen=True)
class MeetingSpec:
    kind: str
    title: str
    held_on: date
    chair: str
    minutes: str
    present: tuple[str, ...]
    deputy: tuple[str, ...]
    absent: tuple[str, ...]
    decisions: tuple[tuple[str, str, date, date | None], ...]  # text, unit, due, done


MEETINGS = (
    MeetingSpec(
        "deployment",
        "全区创建国家食品安全示范城市迎检部署会议（示例）",
        date(2021, 4, 8),
        "区长（示例）",
        "正式启动创建工作，印发实施方案和任务清单。",
        ("committee-office", "market-regulation", "education", "health", "commerce"),
        ("party-publicity",),
        (),
        (
            (
                "各成员单位确定创城联络员和责任人，报区创城办",
                "market-regulation",
                date(2021, 4, 30),
                date(2021, 4, 28),
            ),
        ),
    ),
    MeetingSpec(
        "promotion",
        "创建国家食品安全示范城市推动会及指标培训会议（示例）",
        date(2021, 7, 15),
        "分管副区长（示例）",
        "通报国食办会议精神和创城总体要求，部署迎检工作任务，对照评审指南明确责任分工。",
        ("committee-office", "market-regulation", "education", "party-publicity"),
        ("health",),
        ("commerce",),
        (
            (
                "完成全区小餐饮整改提升，8月底前复查销号",
                "market-regulation",
                date(2021, 8, 31),
                date(2021, 8, 31),
            ),
            ("学校食堂“互联网+明厨亮灶”全覆盖", "education", date(2021, 8, 25), None),
            (
                "开展“和平夜话·共话食品安全”宣传活动",
                "party-publicity",
                date(2021, 8, 15),
                date(2021, 8, 18),
            ),
        ),
    ),
    MeetingSpec(
        "scheduling",
        "创城调度会（示例）",
        date(2021, 8, 20),
        "区食药安办主任（示例）",
        "逐项跟进推动会议定事项；部署自查自评和初评报告。",
        ("committee-office", "market-regulation", "education"),
        (),
        ("health",),
        (
            (
                "8月底前报送分模块自查说明和资料清单目录",
                "committee-office",
                date(2021, 8, 31),
                date(2021, 8, 30),
            ),
            ("商超食品安全自查报告率达到100%", "commerce", date(2021, 9, 10), None),
        ),
    ),
    MeetingSpec(
        "topical",
        "示范引领项目专题会（示例）",
        date(2021, 9, 3),
        "区食药安办主任（示例）",
        "研究示范引领项目申报和现场检查点位。",
        ("committee-office", "market-regulation"),
        ("commerce",),
        (),
        (
            (
                "确定现场检查点位并报区创城办",
                "market-regulation",
                date(2021, 9, 10),
                date(2021, 9, 9),
            ),
        ),
    ),
)


@dataclass
class ExampleResult:
    phase_created: int
    people: int
    planned: int
    meetings: int


def _person(units: dict[str, ResponsibleUnit], code: str, actor: Any) -> Person | None:
    unit = units.get(code)
    if unit is None or code not in PEOPLE:
        return None
    name, post, phone = PEOPLE[code]
    found = Person.objects.filter(unit=unit, name=name).first()
    if found is not None:
        return found
    return services.person_save(unit=unit, name=name, post=post, phone=phone, actor=actor)


def example_workplan(*, spec: ProgrammeSpec, actor: Any) -> ExampleResult:
    """Load the example workplan (needs ``loadprogramme`` first and an office ``actor``)."""
    units = {u.code: u for u in ResponsibleUnit.objects.all()}
    created, _updated = services.phase_tasks_sync(spec=spec, actor=actor)
    people = {code: _person(units, code, actor) for code in PEOPLE}
    for task in Task.objects.filter(kind=TaskKind.PHASE).select_related("owner_unit"):
        person = people.get(task.owner_unit.code)
        if task.person_id is None and person is not None:
            services.task_plan(
                task=task, person=person, start_on=task.start_on, due_on=task.due_on, actor=actor
            )
        if task.done_on is None and task.due_on is not None:
            done = PHASE_DONE.get(task.spec_key, task.due_on)
            if done is not None:
                services.task_done(
                    task=task, done_on=done, note="已按方案完成（示例）", actor=actor
                )
    planned = 0
    for number, code, due, milestones, done in ASSIGNMENTS:
        share = ItemAssignment.objects.filter(
            item__number=number, responsible_unit__code=code
        ).first()
        if share is None:
            continue
        task = services.assignment_task(assignment=share, actor=actor)
        if task.milestones.exists():
            continue
        services.task_plan(
            task=task, person=people.get(code), start_on=date(2021, 7, 1), due_on=due, actor=actor
        )
        for title, m_due, m_done in milestones:
            m = services.milestone_add(task=task, title=title, due_on=m_due, actor=actor)
            if m_done is not None:
                services.milestone_done(milestone=m, done_on=m_done, actor=actor)
        if done is not None:
            services.task_done(task=task, done_on=done, note="完成（示例）", actor=actor)
        planned += 1
    meetings = 0
    for spec_m in MEETINGS:
        if Meeting.objects.filter(title=spec_m.title).exists():
            continue
        attendance: dict[int, tuple[str, str]] = {}
        for status, codes in (
            ("present", spec_m.present), ("deputy", spec_m.deputy), ("absent", spec_m.absent)
        ):  # fmt: skip
            for code in codes:
                if code in units:
                    who = PEOPLE[code][0] if status == "present" and code in PEOPLE else ""
                    attendance[units[code].pk] = (status, who)
        meeting = services.meeting_record(
            kind=spec_m.kind, title=spec_m.title, held_on=spec_m.held_on, place="区政府会议室（示例）",
            chair=spec_m.chair, minutes=spec_m.minutes, attendance=attendance, actor=actor,
        )  # fmt: skip
        for text, code, due, done in spec_m.decisions:
            if code not in units:
                continue
            decision = services.decision_add(
                meeting=meeting, text=text, owner_unit=units[code], due_on=due, actor=actor
            )
            if people.get(code) is not None:
                services.task_plan(
                    task=decision, person=people[code], start_on=decision.start_on,
                    due_on=due, actor=actor,
                )  # fmt: skip
            if done is not None:
                services.task_done(task=decision, done_on=done, actor=actor)
        meetings += 1
    return ExampleResult(created, sum(p is not None for p in people.values()), planned, meetings)
