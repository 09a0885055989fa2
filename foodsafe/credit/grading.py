"""The monthly credit risk class (企业信用风险分类) of one operator, from the counts of its credit
file's records: a pure function of the counts and the spec (tested without a database).

国市监信发〔2022〕6号 [S]: every enterprise is classed monthly A (low), B (general), C (higher),
D (high). The points, bands and the records forcing D are the spec's (:mod:`.spec`); the reading
taken is tagged there and listed on the page.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from .spec import CreditSpec

#: Names of the rule keys in a class's reasons.
RULE_NAMES: dict[str, str] = {
    "licence.granted": "取得许可",
    "inspection.compliant": "监督检查符合",
    "inspection.rectify": "监督检查基本符合（限期整改）",
    "inspection.noncompliant": "监督检查不符合",
    "inspection.not_scored": "监督检查未评定",
    "sampling.nonconforming": "抽检不合格",
    "case.filed": "立案查处",
    "case.penalty": "行政处罚",
    "case.individual": "处罚到人",
    "case.criminal": "移送公安机关",
    "complaint.accepted": "受理投诉举报",
    "listing.listed": "列入严重违法失信名单",
}


@dataclass(frozen=True)
class CreditClass:
    """A class with its score and reasons (one line per counted rule, then the band)."""

    level: str
    score: int
    reasons: tuple[str, ...]


def window_start(month: date, months: int) -> date:
    """The first day counted for ``month`` (a month's first day): ``months`` months before it
    (2021-10-01 with 24 → 2019-10-01)."""
    index = month.year * 12 + month.month - 1 - months
    return date(index // 12, index % 12 + 1, 1)


def credit_class(counts: Mapping[str, int], spec: CreditSpec) -> CreditClass:
    """The class of an operator whose window holds ``counts`` (rule key → records; the active
    listing as ``listing.listed`` 1).

    Score = Σ points × records. A forcing record (``forces_d``) gives D whatever the score;
    else A when the score is 0 and every ``a_requires`` key has a record, B up to ``b_max``,
    C up to ``c_max``, D above. No record at all is B (nothing known, 一般).
    """
    points = spec.weights.points
    reasons: list[str] = []
    score = 0
    for key in sorted(counts, key=lambda k: (-points.get(k, 0), k)):
        n = counts[key]
        if n <= 0:
            continue
        p = points.get(key, 0)
        score += p * n
        reasons.append(f"{RULE_NAMES.get(key, key)} {n} 次 × {p} 分")
    forcing = [k for k in spec.forces_d.outcomes if counts.get(k, 0) > 0]
    bands = spec.classes
    if forcing:
        level = "D"
        why = "、".join(RULE_NAMES.get(k, k) for k in forcing) + "：直接定为 D 类"
    elif score == 0 and all(counts.get(k, 0) > 0 for k in bands.a_requires):
        level = "A"
        need = "、".join(RULE_NAMES.get(k, k) for k in bands.a_requires)
        why = f"0 分且期内有{need}记录 → A 类" if need else "0 分 → A 类"
    elif score <= bands.b_max:
        level = "B"
        why = f"{score} 分（不超过 {bands.b_max} 分）→ B 类"
        if not any(v > 0 for v in counts.values()):
            why = "期内无记录 → B 类"
    elif score <= bands.c_max:
        level = "C"
        why = f"{score} 分（{bands.b_max + 1}–{bands.c_max} 分）→ C 类"
    else:
        level = "D"
        why = f"{score} 分（{bands.c_max + 1} 分及以上）→ D 类"
    return CreditClass(level=level, score=score, reasons=(*reasons, why))
