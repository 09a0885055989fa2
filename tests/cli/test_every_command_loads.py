"""Every management command of foodsafe imports and builds its parser.

A command's module is imported only when the command runs, and a hyphenated file name
(``info-reminders.py``) is no module mypy checks, so a moved import broke one unnoticed
(``foodsafe.supervision.locks`` moved to ``foodsafe.lib.locks``). This loads them all."""

from __future__ import annotations

from django.core.management import get_commands, load_command_class


def test_every_foodsafe_command_loads_and_parses():
    ours = {name: app for name, app in get_commands().items() if app.startswith("foodsafe.")}
    assert "info-reminders" in ours and "credit" in ours  # the discovery found ours
    for name, app in sorted(ours.items()):
        command = load_command_class(app, name)
        parser = command.create_parser("foodsafe", name)
        assert parser.prog.endswith(name), name
