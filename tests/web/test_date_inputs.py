"""Date pickers keep their dates (new-user test F24).

An ``<input type="date">`` only accepts ``yyyy-mm-dd`` as its value (HTML standard). Django's
``DateInput`` renders a date in the language's first input format, ``2021/07/01`` in zh-hans:
the browser showed an empty picker, and saving a task's form unchanged posted blank dates and
erased its start and due dates. ``foodsafe.lib.widgets.DateInput`` renders ISO in every language.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from datetime import date

from django import forms
from django.utils import translation

import foodsafe
from foodsafe.inforeports.forms import BulletinForm
from foodsafe.lib.widgets import DateInput


def test_a_date_renders_as_iso_in_chinese_and_english():
    for language in ("zh-hans", "en"):
        with translation.override(language):
            html = str(BulletinForm(initial={"issued_on": date(2021, 7, 1)})["issued_on"])
        assert 'type="date"' in html
        assert 'value="2021-07-01"' in html, (language, html)


def test_the_plain_django_widget_would_not():
    """The cause, shown: Django's own widget gives the zh-hans format, which a date picker
    cannot show (if Django changes this, the shared widget can go)."""
    with translation.override("zh-hans"):
        html = forms.DateInput(attrs={"type": "date"}).render("d", date(2021, 7, 1))
    assert 'value="2021/07/01"' in html


def test_every_date_picker_of_every_form_uses_the_iso_widget():
    """Every form field drawn as a date picker, in every ``forms`` module of the project."""
    pickers = []
    for module in pkgutil.walk_packages(foodsafe.__path__, "foodsafe."):
        if not module.name.endswith(".forms"):
            continue
        for _name, cls in inspect.getmembers(importlib.import_module(module.name), inspect.isclass):
            if not issubclass(cls, forms.BaseForm) or cls.__module__ != module.name:
                continue
            for field_name, field in cls.base_fields.items():
                if getattr(field.widget, "input_type", None) == "date":
                    pickers.append((module.name, cls.__name__, field_name, field.widget))
    assert len(pickers) >= 5  # workplan (2), rectification, inforeports (3): the search works
    wrong = [p[:3] for p in pickers if not isinstance(p[3], DateInput)]
    assert wrong == []


def test_no_template_comment_spans_lines():
    """Django's ``{# … #}`` is one line only: one spread over two lines is printed on the page
    as text (new-user test F11: the evidence page showed a developer's note). Longer notes use
    ``{% comment %}``."""
    from pathlib import Path

    root = Path(foodsafe.__file__).parent
    broken = [
        f"{path.relative_to(root)}:{number}"
        for path in root.rglob("*.html")
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if "{#" in line and "#}" not in line[line.index("{#") :]
    ]
    assert broken == []
