"""Survey writes: one respondent's coded answers (public page, phone interviewer, import), and
post-stratification weights for a wave. Each respondent's 满意度 and 知晓 are computed from the
raw codes by the questionnaire in force, so the scorecard (items 22, 23, veto 4) reads them as
it reads any survey row — except the public web form's answers (网络自愿填答, ``self_selected``),
which are not a sample: left out of the weights here and, unless the programme spec says
otherwise, of the scorecard."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Max, Min
from django.utils import timezone

from foodsafe.orgunits.models import OrgUnit, Population

from .estimates import ANY, RakingError, Weights, poststratify, poststratify_collapsing, rake
from .models import (
    AgeBand,
    CensusCell,
    Sex,
    SurveyAnswer,
    SurveyResponse,
    SurveyWeighting,
    UrbanRural,
)
from .questionnaire import Questionnaire, questionnaire


class SurveyError(ValueError):
    """Answers that cannot be stored; the message says why, in Chinese."""


@dataclass(frozen=True)
class Respondent:
    org_unit_code: str
    urban_rural: str = ""
    age_band: str = ""
    sex: str = ""
    resident_6m: bool | None = None


def phone_digest(phone: str) -> str:
    """sha256 of the phone number's digits keyed with the site's secret (RULES-supervision §3.3:
    a hash, never the number): the same number twice is recognisable, the number is not."""
    digits = "".join(ch for ch in phone if ch.isdigit())
    if not digits:
        return ""
    return hashlib.sha256(f"{settings.SECRET_KEY}:{digits}".encode()).hexdigest()


def current_wave(on: date, q: Questionnaire | None = None) -> str:
    """The wave (调查批次) answers given on ``on`` belong to: the questionnaire's code and year."""
    return f"{(q or questionnaire()).code}-{on.year}"


def survey_response_record(
    *,
    number: str,
    answers: dict[str, str],
    respondent: Respondent,
    mode: str,
    on: date,
    wave: str | None = None,
    interviewer: str = "",
    phone: str = "",
    self_selected: bool = False,
) -> SurveyResponse:
    """Store one respondent's raw answers and the 满意度/知晓 they give. ``number`` is unique:
    storing the same number again returns the first row and stores nothing. A respondent who
    has not lived here 6 months (常住) is stored as invalid (RULES-supervision §3.2, 大连 plan):
    kept for the record, left out of every estimate. ``self_selected``: answered of the
    respondent's own accord on the public web form (网络自愿填答), not drawn in the sample
    (RULES-supervision §3.1: the evaluation survey is a third party's random telephone
    sample); stored with that mark, shown apart and not weighted."""
    q = questionnaire()
    problems = q.check_answers(answers)
    if problems:
        raise SurveyError("；".join(problems))
    existing = SurveyResponse.objects.filter(response_number=number).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            response = SurveyResponse.objects.create(
                response_number=number,
                survey_code=wave or current_wave(on, q),
                org_unit_id=respondent.org_unit_code,
                responded_on=on,
                satisfaction_score=q.satisfaction_score(answers),
                aware_of_programme=q.aware(answers),
                mode=mode,
                interviewer=interviewer,
                phone_hash=phone_digest(phone),
                urban_rural=respondent.urban_rural,
                age_band=respondent.age_band,
                sex=respondent.sex,
                resident_6m=respondent.resident_6m,
                valid=respondent.resident_6m is not False,
                self_selected=self_selected,
            )
            SurveyAnswer.objects.bulk_create(
                SurveyAnswer(response=response, question_code=k, answer_code=v)
                for k, v in answers.items()
            )
            if not self_selected:
                # A respondent of the sample changes the wave's cells: reweight it now, in
                # this transaction (网络自愿填答 are not weighted and change nothing).
                survey_weights_refresh(waves=[response.survey_code])
    except IntegrityError:
        found = SurveyResponse.objects.filter(response_number=number).first()
        if found is None:
            raise
        return found
    return response


@dataclass(frozen=True)
class WeightingSummary:
    """What ``survey_weights_apply`` did, for the page: the method, the source of the figures,
    cells merged, what no respondent represents, and anything left out (in Chinese)."""

    method: str
    source: str
    cells: int
    merged: tuple[str, ...] = ()
    uncovered: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()


_DIMENSION_LABELS = {"urban_rural": "城乡", "sex": "性别", "age_band": "年龄段"}
_VALUE_LABELS = {
    "urban_rural": dict(UrbanRural.choices),
    "sex": dict(Sex.choices),
    "age_band": dict(AgeBand.choices),
}


def _cell_label(cell: tuple[str, ...], dims: tuple[str, ...], names: dict[str, str]) -> str:
    parts = [names.get(cell[0], cell[0])]
    for dim, value in zip(dims, cell[1:], strict=True):
        if value == ANY:
            parts.append(f"各{_DIMENSION_LABELS[dim]}")
        else:
            parts.append(str(_VALUE_LABELS[dim].get(value, value)))
    return "·".join(parts)


def survey_weights_apply(
    *, wave: str, population_year: int, actor: Any = None, chosen: bool = True
) -> WeightingSummary:
    """Post-stratify the valid respondents of ``wave`` to the 常住人口 of ``population_year``,
    store each one's weight and record the weighting (``SurveyWeighting``), in one transaction.
    ``chosen``: the year was picked on the weighting page and is kept when the wave is
    reweighted after a change (``survey_weights_refresh``); else the default year follows.
    Details: :func:`_weights_apply`."""
    with transaction.atomic():
        summary = _weights_apply(wave=wave, population_year=population_year)
        SurveyWeighting.objects.update_or_create(
            survey_code=wave,
            defaults={
                "population_year": population_year,
                "chosen": chosen,
                "method": summary.method[:200],
                "weighted_at": timezone.now(),
            },
        )
    return summary


def default_weighting_year(wave: str) -> int | None:
    """The year of 常住人口 a wave is weighted to unless one was chosen: the latest year of
    census cells (分城乡性别年龄段常住人口) up to the wave's year (the year of its last answer),
    else the latest year of subdistricts' 常住人口 up to it (weighting by 街道 alone); the
    earliest later year when there is none up to it; None without any figure.
    E.g. a 2021 wave with the 2020 census cells only → 2020 (RULES-supervision.md §3.3:
    "census or 统计年鉴 numbers")."""
    last = SurveyResponse.objects.filter(survey_code=wave).aggregate(on=Max("responded_on"))["on"]
    if last is None:
        return None
    for years in (
        CensusCell.objects.values_list("year", flat=True),
        Population.objects.filter(org_unit__level=4).values_list("year", flat=True),
    ):
        found = years.filter(year__lte=last.year).aggregate(y=Max("year"))["y"]
        if found is None:
            found = years.aggregate(y=Min("year"))["y"]
        if found is not None:
            return int(found)
    return None


def survey_weights_refresh(*, waves: Iterable[str] | None = None) -> dict[str, str]:
    """Recompute the post-stratification weights of ``waves`` (default: every wave), inside
    the caller's transaction: called wherever a wave's answers or the population figures
    change (the survey, census-cell and population imports and their rollback, an answer
    recorded by phone or with an invitation code), so that the weighted estimate (items 22,
    23, veto 4: 后分层加权) is never the plain mean of answers still weighing 1.

    Each wave goes to the year it was weighted to on the page (``SurveyWeighting.chosen``),
    else to :func:`default_weighting_year`. A wave that cannot be weighted (no population
    figure at all) is 待加权: its sample's weights are set to 0, so the weighted estimate is
    无数据 until it is weighted, never the unweighted mean under the weighted label; the
    web form's 网络自愿填答 keep theirs (they are not weighted). Returns, per wave, what was
    done (the method, or ``待加权：…`` with the reason)."""
    codes = (
        sorted(set(waves))
        if waves is not None
        else list(
            SurveyResponse.objects.order_by().values_list("survey_code", flat=True).distinct()
        )
    )
    done: dict[str, str] = {}
    for wave in codes:
        record = SurveyWeighting.objects.filter(survey_code=wave, chosen=True).first()
        year = record.population_year if record else default_weighting_year(wave)
        try:
            if year is None:
                raise SurveyError("没有常住人口数据，无法加权")
            with transaction.atomic():
                done[wave] = survey_weights_apply(
                    wave=wave, population_year=year, chosen=record is not None
                ).method
        except SurveyError as exc:
            with transaction.atomic():
                SurveyResponse.objects.filter(survey_code=wave, self_selected=False).update(
                    weight=Decimal(0)
                )
                SurveyWeighting.objects.filter(survey_code=wave).delete()
            done[wave] = f"待加权：{exc}"
    return done


def _weights_apply(*, wave: str, population_year: int) -> WeightingSummary:
    """Post-stratify the valid respondents of ``wave`` to the 常住人口 of ``population_year``
    and store each one's weight; invalid ones get weight 0.

    With the questionnaire's ``weighting`` and census cells (``CensusCell``) of that year, the
    cells are 街道 × the configured dimensions (城乡, 性别, 年龄段) and cells without respondents
    are handled by the configured method (``estimates.poststratify_collapsing`` or
    ``estimates.rake``). A dimension some valid respondent lacks (e.g. a third party's file
    without 性别) cannot place that respondent and is left out for the wave, said in the notes.
    Without census cells for the year the cells are the subdistricts (``estimates.poststratify``
    on ``Population``), also said. Raises :class:`SurveyError` without population data or when
    raking cannot meet the margins.

    The wave's 网络自愿填答 (``self_selected``) are not respondents of the sample: they are left
    out of the cells and keep the weight they have (1 as stored)."""
    rows = SurveyResponse.objects.filter(survey_code=wave, self_selected=False)
    valid = list(rows.filter(valid=True).values_list("org_unit_id", *_DIMENSION_LABELS))
    weighting = questionnaire().weighting
    census = list(
        CensusCell.objects.filter(year=population_year).values_list(
            "org_unit_id", "urban_rural", "sex", "age_band", "population", "source"
        )
    )
    if weighting is None or not census:
        return _weights_by_subdistrict(rows, valid, population_year, weighting is not None)
    all_dims = ("urban_rural", "sex", "age_band")
    notes = []
    dims = []
    for dim in weighting.dimensions:
        lacking = sum(1 for r in valid if not r[1 + all_dims.index(dim)])
        if lacking:
            notes.append(
                f"{lacking} 份有效问卷缺少{_DIMENSION_LABELS[dim]}，本批次不按{_DIMENSION_LABELS[dim]}分层"
            )
        else:
            dims.append(dim)
    positions = [1 + all_dims.index(d) for d in dims]

    def key(row: tuple[Any, ...]) -> tuple[str, ...]:
        return (str(row[0]), *(str(row[p]) for p in positions))

    sample: dict[tuple[str, ...], int] = {}
    for r in valid:
        sample[key(r)] = sample.get(key(r), 0) + 1
    populations: dict[tuple[str, ...], int] = {}
    for c in census:
        populations[key(c)] = populations.get(key(c), 0) + c[4]
    names = dict(
        OrgUnit.objects.filter(code__in={k[0] for k in (*sample, *populations)}).values_list(
            "code", "name"
        )
    )
    source = "；".join(sorted({c[5] for c in census}))
    if weighting.method == "rake":
        covered = {k[0] for k in sample}
        uncovered_units = sorted(
            {k[0] for k, v in populations.items() if v and k[0] not in covered}
        )
        margins: list[dict[str, int]] = [{} for _ in range(len(dims) + 1)]
        for k, v in populations.items():
            if k[0] in covered:
                for i, value in enumerate(k):
                    margins[i][value] = margins[i].get(value, 0) + v
        try:
            weights = rake(
                sample,
                margins,
                max_iterations=weighting.rake_max_iterations,
                tolerance=weighting.rake_tolerance,
            )
        except RakingError as exc:
            raise SurveyError(f"无法按边际加权（raking）：{exc}") from None
        uncovered = tuple(names.get(u, u) for u in uncovered_units)
        merged: tuple[str, ...] = ()
        notes.append(f"迭代 {weights.iterations} 次收敛")
    else:
        order = [1 + dims.index(d) for d in weighting.collapse_order if d in dims]
        weights = poststratify_collapsing(sample, populations, order)
        uncovered = tuple(_cell_label(u, tuple(dims), names) for u in weights.uncovered)
        merged = tuple(
            f"{_cell_label(g, tuple(dims), names)}（{len(cells)} 格）"
            for g, cells in weights.merged.items()
        )
    unweighted = sorted(k for k in sample if k not in weights.by_cell)
    if unweighted:
        notes.append(
            "没有常住人口数、未能加权（权重为0）的受访者格："
            + "、".join(_cell_label(k, tuple(dims), names) for k in unweighted)
        )
    with transaction.atomic():
        rows.filter(valid=False).update(weight=Decimal(0))
        rows.filter(valid=True).update(weight=Decimal(0))
        for cell, w in weights.by_cell.items():
            match = dict(zip(dims, cell[1:], strict=True))
            rows.filter(valid=True, org_unit__code=cell[0], **match).update(
                weight=Decimal(str(round(w, 4)))
            )
    method = (
        "按边际迭代加权（raking）"
        if weighting.method == "rake"
        else "分格后分层（无受访者的格合并）"
    )
    label = "×".join(["街道", *(_DIMENSION_LABELS[d] for d in dims)])
    return WeightingSummary(
        f"{label}，{method}", source, len(weights.by_cell), merged, uncovered, tuple(notes)
    )


def _weights_by_subdistrict(
    rows: Any, valid: list[tuple[Any, ...]], population_year: int, configured: bool
) -> WeightingSummary:
    """The cells are the subdistricts, weighted to ``Population`` (RULES-supervision.md §3.3's
    first dimension alone)."""
    sample: dict[str, int] = {}
    for r in valid:
        sample[str(r[0])] = sample.get(str(r[0]), 0) + 1
    populations: dict[str, int] = {
        str(p.org_unit_id): p.resident_population
        for p in Population.objects.filter(year=population_year, org_unit_id__in=list(sample))
    }
    siblings = Population.objects.filter(year=population_year, org_unit__level=4)
    for p in siblings:
        populations.setdefault(str(p.org_unit_id), p.resident_population)
    if not any(populations.get(k) for k in sample):
        raise SurveyError(f"{population_year}年没有受访者所在街道的常住人口数据，无法加权")
    weights: Weights = poststratify(sample, populations)
    with transaction.atomic():
        rows.filter(valid=False).update(weight=Decimal(0))
        for cell, w in weights.by_cell.items():
            rows.filter(valid=True, org_unit__code=cell).update(weight=Decimal(str(round(w, 4))))
        rows.filter(valid=True).exclude(org_unit_id__in=list(weights.by_cell)).update(
            weight=Decimal(0)
        )
    names = dict(OrgUnit.objects.filter(code__in=list(populations)).values_list("code", "name"))
    notes = (
        (f"没有{population_year}年分城乡、性别、年龄段的常住人口数，只按街道常住人口加权",)
        if configured
        else ()
    )
    return WeightingSummary(
        "街道，后分层",
        "；".join(sorted({p.source for p in siblings if p.source})),
        len(weights.by_cell),
        (),
        tuple(names.get(u, u) for u in weights.uncovered),
        notes,
    )
