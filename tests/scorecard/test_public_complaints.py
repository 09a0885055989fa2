"""Item 9 (食品类消费投诉按时办结率) counts complaints filed on the public page exactly as
imported ones: they are rows of the same complaints ledger."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import time_machine

from foodsafe.complainthandling import services
from tests.complainthandling.test_handling import submission
from tests.factories import ComplaintFactory

from .conftest import SUB_A


def test_public_and_imported_complaints_count_alike(indicator, office_admin):
    with time_machine.travel(datetime(2021, 9, 30, 10, tzinfo=ZoneInfo("Asia/Shanghai"))):
        public = services.complaint_submit(submission=submission(), submission_key="i9")[0]
    # Refused on its deadline Fri 15 Oct (7 working days across National Day): on time.
    services.complaint_decide(
        complaint=public,
        accept=False,
        decided_on=date(2021, 10, 15),
        ground="handled",
        actor=office_admin,
    )
    # An imported one received the same day, refused Mon 18 Oct: late.
    ComplaintFactory(
        received_on=date(2021, 9, 30),
        org_unit__code=SUB_A,
        decision="refused",
        decided_on=date(2021, 10, 18),
    )
    r = indicator("complaint_on_time_rate")
    assert (r.numerator, r.denominator) == (1, 2)  # 1 on time of 2 known
