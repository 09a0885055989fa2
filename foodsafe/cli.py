"""The ``foodsafe`` console script: Django's management commands under one name.

``foodsafe assess --org 120101000000 --period 2021`` is ``manage.py assess …``.
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    """Run a foodsafe management command; ``argv`` defaults to ``sys.argv[1:]``."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "foodsafe.settings")
    from django.core.management import execute_from_command_line

    args = sys.argv[1:] if argv is None else argv
    execute_from_command_line(["foodsafe", *args])


if __name__ == "__main__":
    main()
