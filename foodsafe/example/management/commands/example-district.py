"""``foodsafe example-district --out DIR [--population 355000] [--seed 2021]``."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from foodsafe.example.generate import DEFAULT_POPULATION, DEFAULT_SEED, generate_example_district


class Command(BaseCommand):
    help = (
        "生成示例区（和平区，2021年）的全部台账文件和 manifest.json，可用 import-dir 导入。"
        " / Write the example district's ledger files (example data), ready for import-dir."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--out", type=Path, required=True, help="输出目录 / output directory")
        parser.add_argument(
            "--population",
            type=int,
            default=DEFAULT_POPULATION,
            help="2021年常住人口 / resident population in 2021 (default %(default)s)",
        )
        parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="随机种子 / seed")

    def handle(self, *args, **options) -> None:
        try:
            counts = generate_example_district(
                out=options["out"], population=options["population"], seed=options["seed"]
            )
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        for ledger, count in counts.items():
            self.stdout.write(f"{ledger}: {count}")
        self.stdout.write(f"示例数据已写入 / example data written to {options['out']}")
