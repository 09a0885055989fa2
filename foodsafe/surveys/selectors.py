"""Survey reads: results of a wave by subdistrict with 95 % intervals, the wave's public web
answers (网络自愿填答) apart, and the sample plan."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Avg, Count, Q

from foodsafe.orgunits.models import Level, OrgUnit, Population

from .estimates import Estimate, allocate, sample_size, weighted_estimate
from .models import SurveyInvitation, SurveyResponse


@dataclass(frozen=True)
class ResultRow:
    code: str
    name: str
    answered: int
    valid: int
    satisfaction: Estimate | None
    awareness: Estimate | None


def waves() -> list[str]:
    """The waves, newest first: those with answers of the sample or invitation codes, then
    those with only 网络自愿填答 (the page opens on a sample, not on a wave the public form
    started by itself; a wave with codes and no answers yet is listed for its tally)."""
    answered = set(
        SurveyResponse.objects.values_list("survey_code", flat=True).order_by().distinct()
    )
    sample = set(
        SurveyResponse.objects.filter(self_selected=False)
        .values_list("survey_code", flat=True)
        .order_by()
        .distinct()
    ) | set(SurveyInvitation.objects.values_list("survey_code", flat=True).order_by().distinct())
    return sorted(sample, reverse=True) + sorted(answered - sample, reverse=True)


def wave_results(wave: str) -> tuple[list[ResultRow], ResultRow]:
    """Per subdistrict and overall: respondents, valid ones, weighted 满意度 and 知晓率 (%),
    each with its interval (``estimates.weighted_estimate``; weights as stored). The sample's
    respondents only: the public web form's answers (``self_selected``) are not a sample and
    are summed up apart (:func:`self_selected_summary`)."""
    rows: list[tuple[Any, ...]] = list(
        SurveyResponse.objects.filter(survey_code=wave, self_selected=False).values_list(
            "org_unit_id", "valid", "weight", "satisfaction_score", "aware_of_programme"
        )
    )
    names = dict(OrgUnit.objects.filter(code__in={r[0] for r in rows}).values_list("code", "name"))

    def row(code: str, name: str, part: list[tuple[Any, ...]]) -> ResultRow:
        ok = [r for r in part if r[1]]
        sat = [(float(r[3]), float(r[2])) for r in ok if r[3] is not None]
        aware = [(100.0 if r[4] else 0.0, float(r[2])) for r in ok if r[4] is not None]
        return ResultRow(
            code,
            name,
            len(part),
            len(ok),
            weighted_estimate([v for v, _ in sat], [w for _, w in sat]),
            weighted_estimate([v for v, _ in aware], [w for _, w in aware]),
        )

    by_unit = [
        row(code, names.get(code, code), [r for r in rows if r[0] == code])
        for code in sorted({r[0] for r in rows})
    ]
    return by_unit, row("", "合计", rows)


@dataclass(frozen=True)
class SelfSelectedSummary:
    """A wave's 网络自愿填答: answers stored, valid ones, and their plain (unweighted) means —
    ``None`` when none has a score or an awareness answer."""

    answered: int
    valid: int
    satisfaction: Decimal | None
    awareness: Decimal | None


def self_selected_summary(wave: str) -> SelfSelectedSummary:
    """The public web form's answers of ``wave`` (``self_selected``), on their own: how many,
    how many valid (常住), the mean 满意度 of the valid scored ones (分, 2 places) and the share
    of the valid ones answering the awareness question who know of the drive (%, 2 places),
    each answer counting once. Self-selected, so not an estimate of anything: no weight, no
    interval (RULES-supervision.md §3.1, §3.3)."""
    valid = Q(valid=True)
    got = SurveyResponse.objects.filter(survey_code=wave, self_selected=True).aggregate(
        n_answered=Count("id"),
        n_valid=Count("id", filter=valid),
        mean=Avg("satisfaction_score", filter=valid),
        n_aware=Count("id", filter=valid & Q(aware_of_programme=True)),
        n_asked=Count("id", filter=valid & Q(aware_of_programme__isnull=False)),
    )
    cent = Decimal("0.01")
    mean = got["mean"]
    return SelfSelectedSummary(
        got["n_answered"],
        got["n_valid"],
        None if mean is None else Decimal(str(mean)).quantize(cent, ROUND_HALF_UP),
        (Decimal(100) * got["n_aware"] / got["n_asked"]).quantize(cent, ROUND_HALF_UP)
        if got["n_asked"]
        else None,
    )


@dataclass(frozen=True)
class PlanRow:
    code: str
    name: str
    population: int
    sample: int


def sample_plan(*, margin: float, allowance: float, year: int) -> tuple[int, list[PlanRow]]:
    """The district's sample size for ``margin`` (with ``allowance`` for invalid interviews),
    split over the subdistricts in proportion to their 常住人口 of ``year``."""
    n = sample_size(margin, allowance=allowance)
    pops: dict[str, int] = {
        str(p.org_unit_id): p.resident_population
        for p in Population.objects.filter(year=year, org_unit__level=Level.TOWNSHIP)
    }
    if not pops:
        return n, []
    parts = allocate(n, pops)
    names = dict(OrgUnit.objects.filter(code__in=list(pops)).values_list("code", "name"))
    return n, [PlanRow(k, names.get(k, k), pops[k], parts[k]) for k in sorted(pops)]
