"""``foodsafe sampling-plan --org CODE --year 2022 [--save] [--xlsx FILE] [--as USER]``."""

from __future__ import annotations

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from foodsafe.samplingplan.exports import plan_workbook
from foodsafe.samplingplan.in_force import sampling_plan_spec
from foodsafe.samplingplan.services import PlanError, plan_preview, plan_save
from foodsafe.samplingplan.spec import SamplingPlanSpecError


class Command(BaseCommand):
    help = (
        "生成年度抽检计划（按人口、登记在册的环节×业态、风险等级、上年不合格率和分类占比），"
        "先显示达到的批次/千人和覆盖率；--save 保存为新版本，--xlsx 导出计划表 "
        "(generate a yearly sampling plan, preview, save as a new version, export)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--org", required=True, help="12 位区划代码，如 120101000000")
        parser.add_argument("--year", required=True, type=int, help="计划年度，如 2022")
        parser.add_argument("--save", action="store_true", help="保存为新版本（现行计划）")
        parser.add_argument("--xlsx", default=None, help="把计划表写到该 Excel 文件")
        parser.add_argument("--note", default="", help="版本说明")
        parser.add_argument("--as", dest="username", default=None, help="以该用户身份保存")

    def handle(self, *args, org, year, save, xlsx, note, username, **options):
        actor = None
        if username:
            actor = get_user_model().objects.filter(username=username).first()
            if actor is None:
                raise CommandError(f"未知的用户 {username!r}")
        try:
            spec = sampling_plan_spec()
            preview = plan_preview(spec=spec, org_code=org, year=year)
        except (PlanError, SamplingPlanSpecError) as exc:
            raise CommandError(str(exc)) from None
        t = preview.totals
        pop_year = preview.inputs["population_year"]
        # Say which year's figure the plan rests on: a later plan takes the latest earlier one.
        pop_note = f"{pop_year} 年数据" + ("" if pop_year == year else f"，尚无 {year} 年数据")
        self.stdout.write(
            f"{preview.org.name} {year} 年抽检计划（常住人口 {preview.inputs['population']}，"
            f"{pop_note}）："
            f"{t.batches} 批（{t.per_thousand} 批次/千人，目标 ≥ {spec.targets.total_per_thousand}），"
            f"其中农药兽药残留 {t.residue_batches} 批（{t.residue_per_thousand} 批次/千人，"
            f"目标 ≥ {spec.targets.residue_per_thousand}）；环节×业态 {t.cells_covered}/{t.cells}"
            f"（{t.coverage}%）；{len(preview.lines)} 行"
        )
        f = preview.floor
        if f.over:
            self.stdout.write(
                f"比目标多 {f.over} 批：残留批次覆盖不到的 {f.uncovered} 个环节×业态（共 {f.cells} 个）"
                f"各需一批，达到目标后只剩 {f.budget} 批可分"
            )
        title = f"{preview.org.name}{year}年食品安全抽检计划"
        if save:
            plan = plan_save(spec=spec, preview=preview, actor=actor, note=note)
            self.stdout.write(f"已保存为 {plan.number}（第 {plan.version} 版，现行）")
            title += f"（第{plan.version}版）"
        if xlsx:
            notes = [
                f"{key}: {part.note or part.source} [{part.certainty}]"
                for key, part in spec.readings()
            ]
            Path(xlsx).write_bytes(
                plan_workbook(title=title, lines=preview.lines, plan_totals=t, notes=notes)
            )
            self.stdout.write(f"计划表已写入 {xlsx}")
