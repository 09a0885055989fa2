"""The survey questionnaire as data (问卷): questions, answer codes, the scoring convention and
the weights of the core items, read from a YAML file (``FOODSAFE_SURVEY_SPEC``).

Scoring (RULES-supervision.md §3.3, a reading [I]: no official mapping was found):

- convention (a) **score**: each core item's answer maps to its points (100/80/60/40/20); the
  respondent's 满意度 is the weighted mean of the items answered (a "don't know" has no points
  and is left out); target ≥ 80 分.
- convention (b) **rate**: each core item is 100 if the answer is a "satisfied" code (非常满意,
  比较满意), else 0; averaged the same way, the mean over respondents is the 满意率 × 100.
- 知晓: the awareness item's answer is "aware" or not; a missing answer is not counted.

Raw answer codes are stored (``SurveyAnswer``), so either convention can be recomputed.
"""

from __future__ import annotations

from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Literal

from django.conf import settings
from pydantic import ValidationError, model_validator

from foodsafe.lib.specfiles import SpecFileError, Strict, Tagged, key_path, read_yaml_file


class QuestionnaireError(SpecFileError):
    """A questionnaire file that cannot be used (file and key named)."""


class ScalePoint(Strict):
    code: str
    label: str
    #: The label on the English pages (the UI's second language); blank: the Chinese one.
    label_en: str = ""
    points: int | None
    satisfied: bool | None


class Option(Strict):
    code: str
    label: str
    label_en: str = ""
    aware: bool


class Question(Strict):
    code: str
    kind: Literal["satisfaction", "awareness"]
    text: str
    text_en: str = ""
    weight: Decimal = Decimal(1)
    options: tuple[Option, ...] = ()


class Convention(Tagged):
    kind: Literal["a", "b"]


Dimension = Literal["urban_rural", "sex", "age_band"]


class Weighting(Tagged):
    """Post-stratification beside the subdistrict (RULES-supervision.md §3.3; the way out for
    cells without respondents is a reading [I]): ``dimensions`` cross the subdistrict;
    ``method`` ``collapse`` merges a cell that cannot be weighted with its siblings across
    ``collapse_order`` in turn, ``rake`` fits the weights to each dimension's margin
    (``surveys.estimates``)."""

    method: Literal["collapse", "rake"]
    dimensions: tuple[Dimension, ...]
    collapse_order: tuple[Dimension, ...] = ()
    rake_max_iterations: int = 100
    rake_tolerance: float = 1e-6

    @model_validator(mode="after")
    def _order_covers_dimensions(self) -> Weighting:
        if len(set(self.dimensions)) != len(self.dimensions):
            raise ValueError("dimensions 不能重复")
        if self.method == "collapse" and sorted(self.collapse_order) != sorted(self.dimensions):
            raise ValueError("collapse_order 须恰好列出 dimensions 的每一个维度")
        return self


class Questionnaire(Strict):
    code: str
    title: str
    convention: Convention
    scale: tuple[ScalePoint, ...]
    questions: tuple[Question, ...]
    weights: Tagged
    #: None: weights by subdistrict population alone.
    weighting: Weighting | None = None

    def question(self, code: str) -> Question:
        for q in self.questions:
            if q.code == code:
                return q
        raise KeyError(code)

    def choices(self, q: Question, *, english: bool = False) -> list[tuple[str, str]]:
        """The answer options as (code, label); ``english``: the English labels where the file
        gives them (the stored answer is the code either way)."""
        points = q.options if q.kind == "awareness" else self.scale
        return [(p.code, (english and p.label_en) or p.label) for p in points]

    @staticmethod
    def text(q: Question, *, english: bool = False) -> str:
        return (english and q.text_en) or q.text

    def satisfaction_score(self, answers: dict[str, str]) -> Decimal | None:
        """The respondent's 满意度 under the convention, 0–100, rounded to 2 places; ``None``
        when no core item has a scoring answer."""
        scale = {p.code: p for p in self.scale}
        total = weights = Decimal(0)
        for q in self.questions:
            point = scale.get(answers.get(q.code, "")) if q.kind == "satisfaction" else None
            if point is None or point.points is None:
                continue
            value = (
                Decimal(point.points)
                if self.convention.kind == "a"
                else (Decimal(100) if point.satisfied else Decimal(0))
            )
            total += q.weight * value
            weights += q.weight
        if not weights:
            return None
        return (total / weights).quantize(Decimal("0.01"))

    def aware(self, answers: dict[str, str]) -> bool | None:
        """知晓: the awareness item's answer, ``None`` if unanswered or unknown code."""
        for q in self.questions:
            if q.kind == "awareness":
                for o in q.options:
                    if answers.get(q.code) == o.code:
                        return o.aware
        return None

    def check_answers(self, answers: dict[str, str]) -> list[str]:
        """Problems with a set of raw answers (unknown question or code), in Chinese."""
        problems = []
        for code, value in answers.items():
            try:
                q = self.question(code)
            except KeyError:
                problems.append(f"未知题目 {code}")
                continue
            if value not in {c for c, _l in self.choices(q)}:
                problems.append(f"题目 {code} 没有答案代码 {value!r}")
        return problems


def questionnaire_load(path: Path) -> Questionnaire:
    data, _raw = read_yaml_file(path, QuestionnaireError)
    try:
        return Questionnaire.model_validate(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        raise QuestionnaireError(path, key_path(err["loc"]), err["msg"]) from None


@cache
def _cached(path: str, mtime: float) -> Questionnaire:
    return questionnaire_load(Path(path))


def questionnaire() -> Questionnaire:
    """The questionnaire in force (re-read when the file changes)."""
    path = Path(settings.FOODSAFE_SURVEY_SPEC)
    return _cached(str(path), path.stat().st_mtime)
