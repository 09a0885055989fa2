"""问卷邀请码: codes for the respondents drawn in the sample, so that a sampled respondent may
answer on the public web form and count as one of the sample.

The public form's open answers (网络自愿填答) are anyone's, as often as they like, and are left
out of items 22, 23 and veto 4 (``SurveyResponse.self_selected``, new-user finding F10). A
respondent drawn in the sample (by the third party or the office, stratified by 街道:
RULES-supervision.md §3.3) who prefers the web to the phone gets one code by SMS or on the call;
the answer given with it is stored as the sample's (``self_selected=False``, interviewer
``invitation``) and the code cannot answer again. §3.2 (唐山 2017: "mobile e-questionnaire,
random sample") is the practice this follows.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from django.db import transaction
from django.db.models import Count, Q

from foodsafe.orgunits.models import Level, OrgUnit

from .models import Mode, SurveyInvitation, SurveyResponse
from .services import Respondent, SurveyError, survey_response_record

#: No 0/O or 1/I, which a respondent reading an SMS aloud would confuse. 10 characters of 32:
#: 32¹⁰ ≈ 1.1 × 10¹⁵ codes, so guessing one under the form's rate limit is hopeless.
ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
LENGTH = 10
#: The most codes one request issues (a district's sample is 400–1,100: RULES-supervision §3.3).
MOST_AT_ONCE = 5000
INTERVIEWER = "invitation"


def invitation_code_normalise(text: str) -> str:
    """As typed — lower case, spaces, hyphens — to the stored form: "ab2c-d3ef 4g" → "AB2CD3EF4G"."""
    return "".join(ch for ch in text.upper() if ch not in " -\u3000\t")


def _new_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def survey_invitations_issue(
    *,
    wave: str,
    org_unit_code: str,
    count: int,
    on: date,
    valid_from: date | None = None,
    valid_until: date | None = None,
    actor: Any = None,
) -> list[SurveyInvitation]:
    """问卷邀请码发放: ``count`` new codes for respondents drawn in ``org_unit_code`` (a 街道 or
    乡镇) for the wave ``wave``, answerable from ``valid_from`` to ``valid_until`` (调查期间;
    default: from ``on`` to the end of its year). An answer is dated the day it is given and
    counts in that year's items 22 and 23, so the period lies within one year and has not
    ended on ``on`` (a code for a past wave would count in the wrong year: new-user finding).
    Raises :class:`SurveyError` (in Chinese) on a bad request."""
    wave = wave.strip()
    valid_from = valid_from or on
    valid_until = valid_until or date(valid_from.year, 12, 31)
    if not wave:
        raise SurveyError("请填写调查批次")
    if valid_until < valid_from:
        raise SurveyError("调查结束日期不能早于开始日期")
    if valid_until < on:
        raise SurveyError(f"调查期间已于 {valid_until.isoformat()} 结束，不能再发放邀请码")
    if valid_from.year != valid_until.year:
        raise SurveyError("调查期间须在同一年度内：答卷按作答日期计入该年度的满意度和知晓率")
    if not 1 <= count <= MOST_AT_ONCE:
        raise SurveyError(f"每次发放 1 至 {MOST_AT_ONCE} 个邀请码")
    if not OrgUnit.objects.filter(code=org_unit_code, level=Level.TOWNSHIP).exists():
        raise SurveyError("请选择街道（乡镇）")
    with transaction.atomic():
        codes: set[str] = set()
        while len(codes) < count:
            wanted = {_new_code() for _ in range(count - len(codes))}
            taken = set(
                SurveyInvitation.objects.filter(code__in=wanted).values_list("code", flat=True)
            )
            codes |= wanted - taken
        return SurveyInvitation.objects.bulk_create(
            SurveyInvitation(
                code=code,
                survey_code=wave,
                org_unit_id=org_unit_code,
                issued_on=on,
                valid_from=valid_from,
                valid_until=valid_until,
                issued_by=actor if getattr(actor, "pk", None) else None,
            )
            for code in sorted(codes)
        )


def survey_invited_record(
    *, code: str, answers: dict[str, str], respondent: Respondent, on: date
) -> SurveyResponse:
    """Store the answers given on the public form with an invitation code as the sample's
    (``self_selected=False``) in the code's wave and 街道 (the stratum it was drawn in,
    whatever 街道 the form says: a code must not move an answer between 街道), and use the
    code up. An unknown or used code is refused with one message for both (a guesser learns
    nothing), a code outside its 调查期间 with the period; nothing is stored."""
    normalised = invitation_code_normalise(code)
    with transaction.atomic():
        invitation = (
            SurveyInvitation.objects.select_for_update().filter(code=normalised).first()
            if normalised
            else None
        )
        if invitation is None or invitation.response_id is not None:
            raise SurveyError(
                "邀请码无效或已使用。没有邀请码也可以不填，答卷将作为网络自愿填答保存。"
            )
        if not invitation.valid_from <= on <= invitation.valid_until:
            raise SurveyError(
                f"该邀请码的调查期间为 {invitation.valid_from.isoformat()} 至 "
                f"{invitation.valid_until.isoformat()}，今天不能作答。"
            )
        response = survey_response_record(
            number=f"YQ-{invitation.code}",
            answers=answers,
            respondent=replace(respondent, org_unit_code=invitation.org_unit_id),
            mode=Mode.ONLINE,
            on=on,
            wave=invitation.survey_code,
            interviewer=INTERVIEWER,
        )
        invitation.response = response
        invitation.save(update_fields=["response"])
    return response


@dataclass(frozen=True)
class InvitationTally:
    """Codes issued and answered in one 街道 for a wave: the web part of its response rate."""

    org_unit_code: str
    name: str
    issued: int
    answered: int


def invitation_tallies(wave: str) -> list[InvitationTally]:
    """Per 街道, the wave's codes issued and answered (应答), in code order."""
    rows = (
        SurveyInvitation.objects.filter(survey_code=wave)
        .values("org_unit_id", "org_unit__name")
        .annotate(issued=Count("pk"), answered=Count("pk", filter=Q(response__isnull=False)))
        .order_by("org_unit_id")
    )
    return [
        InvitationTally(
            str(r["org_unit_id"]), str(r["org_unit__name"]), int(r["issued"]), int(r["answered"])
        )
        for r in rows
    ]


def invitations_to_xlsx(invitations: list[SurveyInvitation], *, form_url: str) -> bytes:
    """The codes just issued as .xlsx for the SMS sender: code, 街道, wave, the form's address."""
    import io

    import xlsxwriter  # loaded when a file is asked for, not at start-up

    from foodsafe.lib.spreadsheets import TEXT_CELLS

    names = dict(
        OrgUnit.objects.filter(code__in={i.org_unit_id for i in invitations}).values_list(
            "code", "name"
        )
    )
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, **TEXT_CELLS})
    ws = book.add_worksheet("问卷邀请码")
    header = book.add_format({"bold": True, "bg_color": "#D9E1F2", "border": 1})
    for col, (title, width) in enumerate(
        (
            ("邀请码", 14),
            ("抽样街道（乡镇）", 20),
            ("调查批次", 22),
            ("答卷地址", 40),
            ("调查期间", 24),
        )
    ):
        ws.write_string(0, col, title, header)
        ws.set_column(col, col, width)
    for row, inv in enumerate(invitations, start=1):
        ws.write_string(row, 0, inv.code)
        ws.write_string(row, 1, names.get(inv.org_unit_id, inv.org_unit_id))
        ws.write_string(row, 2, inv.survey_code)
        ws.write_string(row, 3, form_url)
        ws.write_string(row, 4, f"{inv.valid_from.isoformat()} 至 {inv.valid_until.isoformat()}")
    ws.freeze_panes(1, 0)
    book.close()
    return buffer.getvalue()
