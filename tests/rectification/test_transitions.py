"""The state machine, every allowed and refused transition, with its preconditions:

open → in_progress (owner unit or office) → submitted (owner unit, with evidence) → closed
(销号: reviewer or office, not of the owner unit, with APPROVED evidence) or sent_back
(reviewer or office, with a note) → in_progress (owner unit or office).
"""

from __future__ import annotations

import itertools
from datetime import date
from unittest import mock

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from foodsafe.accounts.models import Profile
from foodsafe.rectification import services
from foodsafe.rectification.models import RectificationEvent, State
from foodsafe.rectification.rules import TRANSITIONS, allowed_transitions
from foodsafe.rectification.services import rectification_transition
from tests.evidence.fixtures import make_evidence
from tests.rectification.helpers import frozen, rectification_in

PERSONAS = ["office_admin", "market_user", "education_user", "reviewer", "inspector", "outsider"]
# Who may make each transition of a rectification owned by 区市场监管局 (market_user's unit).
ALLOWED = {
    ("open", "in_progress"): {"office_admin", "market_user"},
    ("in_progress", "submitted"): {"market_user"},
    ("submitted", "closed"): {"office_admin", "reviewer"},
    ("submitted", "sent_back"): {"office_admin", "reviewer"},
    ("sent_back", "in_progress"): {"office_admin", "market_user"},
}
TODAY = date(2021, 10, 18)


def test_the_table_is_the_machine():
    assert set(TRANSITIONS) == set(ALLOWED)


@pytest.fixture
def ready(market_user, reviewer):
    """``ready(state)``: a market-regulation rectification in ``state`` with approved evidence."""

    def make(state: str):
        r = rectification_in(state, creator=market_user, verifier=reviewer)
        make_evidence(
            rectification=r, uploaded_by=market_user, status="approved", reviewed_by=reviewer
        )
        return r

    return make


@pytest.mark.parametrize(
    ("transition", "persona"),
    list(itertools.product(sorted(ALLOWED), PERSONAS)),
    ids=[f"{f}-{t}-{p}" for (f, t), p in itertools.product(sorted(ALLOWED), PERSONAS)],
)
def test_who_may_move(ready, transition, persona, request):
    actor = request.getfixturevalue(persona)
    from_state, to_state = transition
    r = ready(from_state)
    with frozen(TODAY):
        if persona in ALLOWED[transition]:
            assert allowed_transitions(actor, r) == [
                to for (frm, to) in ALLOWED if frm == from_state and persona in ALLOWED[(frm, to)]
            ]
            moved = rectification_transition(
                rectification=r, to_state=to_state, actor=actor, note="说明"
            )
            assert moved.state == to_state
            event = moved.events.get()
            assert (event.from_state, event.to_state, event.actor, event.note) == (
                from_state,
                to_state,
                actor,
                "说明",
            )
            assert moved.history.order_by("-history_id").first().history_user == actor
        else:
            assert to_state not in allowed_transitions(actor, r)
            with pytest.raises(PermissionDenied):
                rectification_transition(
                    rectification=r, to_state=to_state, actor=actor, note="说明"
                )
            r.refresh_from_db()
            assert r.state == from_state and not r.events.exists()


NOT_IN_MACHINE = [
    pair for pair in itertools.product(State.values, State.values) if pair not in ALLOWED
]


@pytest.mark.parametrize(("from_state", "to_state"), NOT_IN_MACHINE)
def test_transitions_outside_the_machine_are_refused(ready, office_admin, from_state, to_state):
    r = ready(from_state)
    with frozen(TODAY), pytest.raises(ValidationError, match="整改事项不能从"):
        rectification_transition(
            rectification=r, to_state=to_state, actor=office_admin, note="说明"
        )
    r.refresh_from_db()
    assert r.state == from_state and not r.events.exists()


def test_closing_sets_date_and_verifier(ready, reviewer):
    r = ready("submitted")
    with frozen(TODAY, hour=23):
        closed = rectification_transition(rectification=r, to_state="closed", actor=reviewer)
    assert closed.closed_on == TODAY and closed.verified_by == reviewer


def test_owner_units_own_user_may_not_close(ready, market_user):
    r = ready("submitted")
    with frozen(TODAY), pytest.raises(PermissionDenied):
        rectification_transition(rectification=r, to_state="closed", actor=market_user)
    r.refresh_from_db()
    assert r.state == "submitted" and r.closed_on is None


def test_a_superuser_of_the_owner_unit_may_not_close(ready, django_user_model):
    # A superuser counts as office, but one bound to the owner unit is still the owner's.
    boss = django_user_model.objects.create_superuser("boss", password="boss-pass-123")
    Profile.objects.create(user=boss, role="member_unit", responsible_unit=ready("open").owner_unit)
    r = ready("submitted")
    with frozen(TODAY), pytest.raises(PermissionDenied, match="不能核验本单位"):
        rectification_transition(rectification=r, to_state="closed", actor=boss)


def test_submit_needs_evidence_not_rejected(market_user, reviewer):
    r = rectification_in("in_progress", creator=market_user)
    with frozen(TODAY), pytest.raises(ValidationError, match="请先上传整改佐证材料"):
        rectification_transition(rectification=r, to_state="submitted", actor=market_user)
    make_evidence(rectification=r, uploaded_by=market_user, status="rejected", reviewed_by=reviewer)
    with frozen(TODAY), pytest.raises(ValidationError, match="请先上传整改佐证材料"):
        rectification_transition(rectification=r, to_state="submitted", actor=market_user)
    make_evidence(rectification=r, uploaded_by=market_user)  # waiting for review: enough
    with frozen(TODAY):
        assert (
            rectification_transition(rectification=r, to_state="submitted", actor=market_user).state
            == "submitted"
        )


def test_close_needs_approved_evidence(market_user, reviewer):
    r = rectification_in("submitted", creator=market_user)
    make_evidence(rectification=r, uploaded_by=market_user)  # not reviewed yet
    with frozen(TODAY), pytest.raises(ValidationError, match="审核通过的整改佐证材料"):
        rectification_transition(rectification=r, to_state="closed", actor=reviewer)
    r.refresh_from_db()
    assert r.state == "submitted" and r.closed_on is None and r.verified_by is None


def test_evidence_of_another_rectification_does_not_count(ready, market_user, reviewer):
    ready("submitted")  # has approved evidence
    r = rectification_in("submitted", creator=market_user)
    with frozen(TODAY), pytest.raises(ValidationError):
        rectification_transition(rectification=r, to_state="closed", actor=reviewer)


def test_send_back_needs_a_note(ready, reviewer):
    r = ready("submitted")
    with frozen(TODAY), pytest.raises(ValidationError, match="退回须写明理由"):
        rectification_transition(rectification=r, to_state="sent_back", actor=reviewer, note=" ")


def test_the_whole_way(market_user, reviewer, office_admin):
    from foodsafe.rectification.services import rectification_create
    from tests.rectification.helpers import unit

    with frozen(date(2021, 9, 30)):
        r = rectification_create(
            title="农贸市场快检室未运行",
            owner_unit=unit("market-regulation"),
            source="inspection",
            working_days=10,
            actor=office_admin,
        )
    steps = [
        ("in_progress", market_user, ""),
        ("submitted", market_user, ""),
        ("sent_back", reviewer, "照片不清晰"),
        ("in_progress", market_user, ""),
        ("submitted", market_user, "已补充"),
        ("closed", reviewer, "同意销号"),
    ]
    make_evidence(rectification=r, uploaded_by=market_user)
    for n, (to_state, actor, note) in enumerate(steps):
        if to_state == "closed":
            make_evidence(
                rectification=r, uploaded_by=market_user, status="approved", reviewed_by=reviewer
            )
        with frozen(date(2021, 10, 8 + n)):
            r = rectification_transition(rectification=r, to_state=to_state, actor=actor, note=note)
    assert r.state == "closed" and r.closed_on == date(2021, 10, 13)
    events = list(r.events.values_list("from_state", "to_state", "note"))
    assert events == [
        ("", "open", "登记"),
        ("open", "in_progress", ""),
        ("in_progress", "submitted", ""),
        ("submitted", "sent_back", "照片不清晰"),
        ("sent_back", "in_progress", ""),
        ("in_progress", "submitted", "已补充"),
        ("submitted", "closed", "同意销号"),
    ]
    assert r.history.count() == 7


def test_state_and_event_in_one_transaction(ready, office_admin):
    r = ready("open")
    with (
        frozen(TODAY),
        mock.patch.object(RectificationEvent.objects, "create", side_effect=RuntimeError("boom")),
        pytest.raises(RuntimeError),
    ):
        rectification_transition(rectification=r, to_state="in_progress", actor=office_admin)
    r.refresh_from_db()
    assert r.state == "open" and r.history.count() == 1


def test_measures(ready, market_user, education_user, office_admin):
    r = ready("in_progress")
    r = services.rectification_update_measures(
        rectification=r, measures="更换快检设备，专人负责", actor=market_user
    )
    assert r.measures == "更换快检设备，专人负责"
    assert r.history.first().history_user == market_user
    with pytest.raises(PermissionDenied):
        services.rectification_update_measures(rectification=r, measures="x", actor=education_user)
    closed = ready("closed")
    with pytest.raises(ValidationError, match="已销号"):
        services.rectification_update_measures(
            rectification=closed, measures="x", actor=office_admin
        )
