"""``foodsafe workplan-example --as USER``: the example district's tasks, people and meetings
(示例数据) through the real services; running it again adds nothing."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError, CommandParser

from foodsafe.programme.in_force import programme_spec
from foodsafe.workplan.demo import example_workplan
from foodsafe.workplan.services import WorkplanError


class Command(BaseCommand):
    help = (
        "示例区的任务推进：从方案载入阶段工作，登记示例责任人，为几项重点任务设定节点，记录 2021 年的"
        "部署会、推动会、调度会和专题会及其议定事项（示例数据；可重复运行；--as 须为创城办用户） / "
        "the example district's tasks, people and meetings"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--as", dest="username", required=True)

    def handle(self, *args: Any, username: str, **options: Any) -> None:
        actor = get_user_model().objects.filter(username=username).first()
        if actor is None:
            raise CommandError(f"未知的用户 {username!r}")
        try:
            result = example_workplan(spec=programme_spec(), actor=actor)
        except PermissionDenied:
            raise CommandError(f"{username} 不是创城办用户 / not an office user") from None
        except WorkplanError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(
            f"阶段工作新增 {result.phase_created} 项；责任人 {result.people} 人；"
            f"重点任务设定节点 {result.planned} 项；会议 {result.meetings} 次"
        )
