"""``foodsafe loadprogramme [--spec PATH]``: load a programme spec into the database."""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from foodsafe.programme.in_force import metric_names
from foodsafe.programme.services import programme_sync
from foodsafe.programme.spec import ProgrammeSpecError, load_programme_spec


class Command(BaseCommand):
    help = (
        "Validate a programme spec (YAML) and sync its responsible units, items and assignments "
        "into the database. Idempotent. Default spec: settings.FOODSAFE_PROGRAMME_SPEC."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--spec",
            default=None,
            help="path of the spec YAML (default: settings.FOODSAFE_PROGRAMME_SPEC)",
        )

    def handle(self, *args, **options):
        path = options["spec"] or settings.FOODSAFE_PROGRAMME_SPEC
        try:
            spec = load_programme_spec(path, known_metrics=metric_names())
        except ProgrammeSpecError as exc:
            raise CommandError(str(exc), returncode=2) from exc
        programme = programme_sync(spec=spec)
        assignments = sum(len(item.units) for item in spec.items)
        self.stdout.write(
            self.style.SUCCESS(
                f"{programme.code} v{programme.version}: {len(spec.items)} items, "
                f"{len(spec.responsible_units)} responsible units, {assignments} assignments "
                f"(sha256 {programme.spec_sha256[:12]})"
            )
        )
