"""``foodsafe inspection-plan --org CODE --period 2021Q4 [--seed N] [--as USER]``: make a plan."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError

from foodsafe.inspectionplan.in_force import plan_spec
from foodsafe.inspectionplan.models import InspectionPlan
from foodsafe.inspectionplan.selectors import plan_progress, plan_summary
from foodsafe.inspectionplan.services import PlanError, plan_create
from foodsafe.inspectionplan.spec import PlanSpecError

#: The draw counts by grade as the summary line says them ("ungraded" is the spec's key).
_GRADE_ZH = {"ungraded": "未定级"}


class Command(BaseCommand):
    help = (
        "制定监督检查计划：计划期内到期应检的经营者 + 双随机抽取 + 随机选派检查人员；"
        "随机种子、依据和结果随计划保存 (make an inspection plan with a recorded draw)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--org", required=True, help="12 位区划代码，如 120101000000")
        parser.add_argument("--period", required=True, help="季度 2021Q4 或月份 202110")
        parser.add_argument("--seed", type=int, default=None, help="随机种子（不填则随机生成）")
        parser.add_argument(
            "--if-missing",
            action="store_true",
            help="该范围和计划期已有计划时保留原计划，不报错（演示脚本重复运行时用）",
        )
        parser.add_argument(
            "--as", dest="username", default=None, help="以该用户身份制定（其范围）；默认系统"
        )

    def handle(self, *args, org, period, seed, username, if_missing, **options):
        existing = InspectionPlan.objects.filter(org_unit_id=org, period=period.strip()).first()
        if existing is not None and if_missing:
            self.stdout.write(f"已有计划 {existing.number}（随机种子 {existing.seed}），保留。")
            return
        actor = None
        if username:
            actor = get_user_model().objects.filter(username=username).first()
            if actor is None:
                raise CommandError(f"未知的用户 {username!r}")
        try:
            spec = plan_spec()
            plan = plan_create(spec=spec, org_code=org, period_code=period, actor=actor, seed=seed)
        except (PlanError, PlanSpecError) as exc:
            raise CommandError(str(exc)) from None
        except PermissionDenied:
            raise CommandError(f"用户 {username} 无权为 {org} 制定计划") from None
        result = plan.draw["result"]
        summary = plan_summary(plan_progress(plan, spec=spec))
        self.stdout.write(
            f"计划 {plan.number}：到期应检 {summary['due']} 家，双随机抽取 {summary['random']} 家"
            f"（{', '.join(f'{_GRADE_ZH.get(k, k)} {v}' for k, v in result['counts'].items())}），"
            f"未能派出检查人员 {len(result['unassigned'])} 家；随机种子 {plan.seed}；"
            f"已检查 {summary['done']}/{summary['total']}；排序：{plan.order_method}"
        )
