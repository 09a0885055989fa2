"""``foodsafe sampling-example --org CODE --year 2021 [--as USER]``: the example district's
sampling year through the real services (plan, one disposal, the publication lists)."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from foodsafe.samplingplan.demo import example_year
from foodsafe.samplingplan.disposal import DisposalError
from foodsafe.samplingplan.in_force import sampling_plan_spec
from foodsafe.samplingplan.publication import PublicationError
from foodsafe.samplingplan.selectors import plan_totals
from foodsafe.samplingplan.services import PlanError


class Command(BaseCommand):
    help = (
        "示例区的抽检年度：生成并保存年度计划，对一批不合格食品按步骤完成核查处置，登记当月抽检结果和"
        "核查处置信息的公开（示例数据；可重复运行） / the example district's sampling year"
    )

    def add_arguments(self, parser):
        parser.add_argument("--org", required=True)
        parser.add_argument("--year", required=True, type=int)
        parser.add_argument("--as", dest="username", default=None)

    def handle(self, *args, org, year, username, **options):
        actor = None
        if username:
            actor = get_user_model().objects.filter(username=username).first()
            if actor is None:
                raise CommandError(f"未知的用户 {username!r}")
        try:
            result = example_year(spec=sampling_plan_spec(), org_code=org, year=year, actor=actor)
        except (PlanError, DisposalError, PublicationError) as exc:
            raise CommandError(str(exc)) from None
        t = plan_totals(result.plan)
        self.stdout.write(
            f"计划 {result.plan.number}：{t.batches} 批（{t.per_thousand} 批次/千人），"
            f"残留 {t.residue_batches} 批（{t.residue_per_thousand}），覆盖 {t.cells_covered}/{t.cells}"
        )
        if result.disposal is not None:
            d = result.disposal
            self.stdout.write(
                f"核查处置 {d.batch.sample_number}：报告 {d.reported_on}，送达 {d.served_on}，"
                f"办结 {d.closed_on}（期限 {d.close_due_on}）；公开 "
                + "、".join(f"{p.get_kind_display()} {p.published_on}" for p in result.publications)
            )
