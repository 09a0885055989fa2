"""Form widgets shared by the apps' forms."""

from __future__ import annotations

from typing import Any

from django import forms


class DateInput(forms.DateInput):
    """A browser date picker (``<input type="date">``) whose value is always ISO 8601.

    The HTML standard gives a date input's ``value`` as ``yyyy-mm-dd`` only. Django renders a
    ``DateInput`` in the active language's first ``DATE_INPUT_FORMATS`` entry, which for zh-hans
    is ``2021/07/01``: the browser then shows an empty picker, and saving the form unchanged
    posted the dates as blank and wiped them (new-user test F24: a task's start and due dates
    lost on 保存). The format is fixed here, whatever the language; the field still parses
    what the browser posts (ISO) in every language.
    """

    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%d")
