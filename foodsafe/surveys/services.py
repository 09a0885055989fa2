"""Survey writes: one respondent's coded answers (public page, phone interviewer, import), and
post-stratification weights for a wave. Each respondent's 满意度 and 知晓 are computed from the
raw codes by the questionnaire in force, so the scorecard (items 22, 23, veto 4) reads them as
it reads any survey row."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction

from foodsafe.orgunits.models import Population

from .estimates import Weights, poststratify
from .models import SurveyAnswer, SurveyResponse
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
) -> SurveyResponse:
    """Store one respondent's raw answers and the 满意度/知晓 they give. ``number`` is unique:
    storing the same number again returns the first row and stores nothing. A respondent who
    has not lived here 6 months (常住) is stored as invalid (RULES-supervision §3.2, 大连 plan):
    kept for the record, left out of every estimate."""
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
            )
            SurveyAnswer.objects.bulk_create(
                SurveyAnswer(response=response, question_code=k, answer_code=v)
                for k, v in answers.items()
            )
    except IntegrityError:
        found = SurveyResponse.objects.filter(response_number=number).first()
        if found is None:
            raise
        return found
    return response


def survey_weights_apply(*, wave: str, population_year: int, actor: Any = None) -> Weights:
    """Post-stratify the valid respondents of ``wave`` to the 常住人口 of ``population_year``
    by subdistrict (the cells; ``estimates.poststratify``) and store each one's weight; invalid
    ones get weight 0. Sex, age band and urban/rural cells need census counts the database
    does not hold: they are not used. Raises :class:`SurveyError` without population data."""
    rows = SurveyResponse.objects.filter(survey_code=wave)
    sample: dict[str, int] = {}
    for code in rows.filter(valid=True).values_list("org_unit_id", flat=True):
        sample[str(code)] = sample.get(str(code), 0) + 1
    populations: dict[str, int] = {
        str(p.org_unit_id): p.resident_population
        for p in Population.objects.filter(year=population_year, org_unit_id__in=list(sample))
    }
    siblings = Population.objects.filter(year=population_year, org_unit__level=4)
    for p in siblings:
        populations.setdefault(str(p.org_unit_id), p.resident_population)
    if not any(populations.get(k) for k in sample):
        raise SurveyError(f"{population_year}年没有受访者所在街道的常住人口数据，无法加权")
    weights = poststratify(sample, populations)
    with transaction.atomic():
        rows.filter(valid=False).update(weight=Decimal(0))
        for cell, w in weights.by_cell.items():
            rows.filter(valid=True, org_unit__code=cell).update(weight=Decimal(str(round(w, 4))))
        rows.filter(valid=True).exclude(org_unit_id__in=list(weights.by_cell)).update(
            weight=Decimal(0)
        )
    return weights
