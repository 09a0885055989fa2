"""The state machine of a rectification (整改) and who may move it: one table, used by the
services (which enforce it) and the pages (which offer only the allowed buttons).

=================  ==============  ===================================================
from               to              who (and what else the service checks)
=================  ==============  ===================================================
open               in_progress     the owner unit or the office
in_progress        submitted       the owner unit (needs evidence on the rectification
                                   that is not rejected)
submitted          closed (销号)   a reviewer or the office who is not a member of the
                                   owner unit (needs APPROVED evidence); sets
                                   ``closed_on`` and ``verified_by``
submitted          sent_back       a reviewer or the office (needs a note)
sent_back          in_progress     the owner unit or the office
=================  ==============  ===================================================
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import pgettext_lazy

from foodsafe.accounts.permissions import acts_for, is_office, is_reviewer

from .models import Rectification, State

OWNER_OR_OFFICE = "owner_or_office"
OWNER = "owner"
VERIFIER = "verifier"

TRANSITIONS: dict[tuple[str, str], str] = {
    (State.OPEN, State.IN_PROGRESS): OWNER_OR_OFFICE,
    (State.IN_PROGRESS, State.SUBMITTED): OWNER,
    (State.SUBMITTED, State.CLOSED): VERIFIER,
    (State.SUBMITTED, State.SENT_BACK): VERIFIER,
    (State.SENT_BACK, State.IN_PROGRESS): OWNER_OR_OFFICE,
}

#: Button labels, as the person pressing them reads them. A context of their own: the same
#: words name a state elsewhere (退回重改 the state is "Sent back", the button "Send back").
ACTION_LABELS = {
    State.IN_PROGRESS: pgettext_lazy("rectification action", "开始整改"),
    State.SUBMITTED: pgettext_lazy("rectification action", "提交销号"),
    State.CLOSED: pgettext_lazy("rectification action", "核验销号"),
    State.SENT_BACK: pgettext_lazy("rectification action", "退回重改"),
}


def is_owner(user: Any, rectification: Rectification) -> bool:
    """A member-unit user of the rectification's owner unit (a 街道 user: of its 街道 only)."""
    return acts_for(user, rectification.owner_unit_id, rectification.org_unit_id)


def may_transition(user: Any, rectification: Rectification, to_state: str) -> bool:
    """Whether ``user``'s role allows moving ``rectification`` to ``to_state`` now (the
    service also checks evidence and notes)."""
    rule = TRANSITIONS.get((rectification.state, to_state))
    if rule == OWNER_OR_OFFICE:
        return is_owner(user, rectification) or is_office(user)
    if rule == OWNER:
        return is_owner(user, rectification)
    if rule == VERIFIER:
        return (is_office(user) or is_reviewer(user)) and not is_owner(user, rectification)
    return False


def allowed_transitions(user: Any, rectification: Rectification) -> list[str]:
    """The states ``user`` may move ``rectification`` to, in the table's order."""
    return [
        to
        for (frm, to) in TRANSITIONS
        if frm == rectification.state and may_transition(user, rectification, to)
    ]
