"""The audit trail on screen: who changed what, when, from which value to which.

Every change to ledgers, evidence and rectifications is recorded by django-simple-history
(``HistoricalRecords`` on the model; ``HistoryRequestMiddleware`` stores the acting user). This
package only reads those records; it has no models.

Usage on an object's page (evidence, rectification, a ledger row)::

    # views.py
    from foodsafe.audit import object_history

    def detail(request, pk):
        evidence = get_scoped_or_404(...)
        return render(request, "evidence/detail.html",
                      {"evidence": evidence, "history": object_history(evidence)})

    {# the template #}
    {% include "web/_audit.html" with changes=history %}

For a page about several objects (the task item page shows its evidence and its
rectifications), merge their histories, newest first::

    history = merged_history(Evidence.objects.filter(...), Rectification.objects.filter(...))

Scope the querysets to what the user may see *before* passing them
(``foodsafe.accounts.permissions.scope_to_unit``): history shows every field of the objects given.

Each :class:`Change` is one historical record: ``when``, ``who`` (username, or 系统 when no user
was recorded, e.g. a management command), ``action`` (``created`` / ``changed`` / ``deleted``)
and ``fields``, a tuple of :class:`FieldChange` (``label`` the field's verbose name, ``old`` and
``new`` as display text: choice labels, related objects' names, local times).

Personal data: complainants' phone numbers never appear (any field whose name contains
``phone`` is dropped, and ``Complaint`` history does not record the phone at all); complainants'
names are masked with :func:`foodsafe.lib.masking.mask_name`.
"""

from __future__ import annotations

from .history import Change, FieldChange, history_for, merged_history, object_history

__all__ = ["Change", "FieldChange", "history_for", "merged_history", "object_history"]
