"""Read django-simple-history records as a list of changes for people (see the package doc)."""

from __future__ import annotations

import os
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.contrib.auth import get_user_model
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from foodsafe.lib.masking import mask_name

# Fields never shown in a history view, whatever the model: personal contact data.
_SECRET_PARTS = ("phone", "id_number", "id_card")
# Per-model maskers (model label → field → function of the stored text).
_MASKED: dict[str, dict[str, Callable[[str], str]]] = {
    "complaints.complaint": {"complainant_name": mask_name},
    "handlers.foodhandler": {"name": mask_name},
}
# How a related object is named in a change (model label → select_related, label function).
_RELATED: dict[str, tuple[tuple[str, ...], Callable[[Any], str]]] = {
    "programme.itemassignment": (
        ("item", "responsible_unit"),
        lambda a: f"{a.item.number}. {a.item.title} · {a.responsible_unit.name}",
    ),
}
# Labels for fields whose model gives no verbose_name (Django would show "uploaded by").
_LABELS: dict[str, dict[str, Any]] = {
    "evidence.evidence": {
        "assignment": _("任务及责任单位"),
        "rectification": _("整改事项"),
        "uploaded_by": _("上传人"),
        "reviewed_by": _("审核人"),
    },
    "rectification.rectification": {"created_by": _("登记人")},
}
_ACTIONS = {"+": "created", "~": "changed", "-": "deleted"}
_ACTION_LABELS = {"created": _("新建"), "changed": _("修改"), "deleted": _("删除")}


@dataclass(frozen=True)
class FieldChange:
    """One field of one record: ``label`` is the field's verbose name; ``old`` and ``new`` are
    display text ("" for empty; ``old`` is "" on creation)."""

    field: str
    label: str
    old: str
    new: str


@dataclass(frozen=True)
class Change:
    """One historical record of one object, with the fields it changed (in model order).

    ``action`` is ``created``, ``changed`` or ``deleted``; ``who`` is the username of the acting
    user, or 系统 when none was recorded (management commands, imports run from the console).
    """

    when: datetime
    who: str
    action: str
    object_label: str
    fields: tuple[FieldChange, ...]
    reason: str = ""
    history_id: int = 0

    @property
    def action_label(self) -> str:
        return str(_ACTION_LABELS[self.action])


def object_history(obj: models.Model) -> list[Change]:
    """The changes of ``obj``, newest first (see :func:`history_for`)."""
    return history_for(type(obj), [obj.pk])


def merged_history(*querysets: models.QuerySet[Any]) -> list[Change]:
    """The changes of every object of ``querysets`` (each of a model with ``HistoricalRecords``),
    merged newest first. Two queries per queryset plus one per related model named in a change.
    """
    changes: list[Change] = []
    for queryset in querysets:
        pks = list(queryset.order_by().values_list("pk", flat=True))
        changes += history_for(queryset.model, pks)
    changes.sort(key=lambda c: (c.when, c.history_id), reverse=True)
    return changes


def history_for(model: type[models.Model], pks: Sequence[Any]) -> list[Change]:
    """The changes of the objects of ``model`` with primary keys ``pks``, newest first.

    A creation lists every shown field that has a value; a change lists the fields that differ
    from the object's previous record (``diff_against``), and is left out when none of the
    shown fields differ; a deletion lists none. Shown fields are the model's editable fields
    except its primary key and personal contact data (see the package doc); complainants' names
    are masked. Raises ``AttributeError`` if ``model`` has no ``history``.
    """
    if not pks:
        return []
    history_manager = model.history  # type: ignore[attr-defined]
    pk_name = model._meta.pk.attname  # type: ignore[union-attr]
    records = list(
        history_manager.filter(**{f"{pk_name}__in": list(pks)})
        .select_related("history_user")
        .order_by(pk_name, "history_date", "history_id")
    )
    fields = _shown_fields(model)
    masked = _MASKED.get(model._meta.label_lower, {})
    labels = _LABELS.get(model._meta.label_lower, {})

    raw: list[tuple[Any, str, list[tuple[models.Field[Any, Any], Any, Any]]]] = []
    previous: dict[Any, Any] = {}
    for record in records:
        key = getattr(record, pk_name)
        action = _ACTIONS.get(record.history_type, "changed")
        before = previous.get(key)
        previous[key] = record
        diffs: list[tuple[models.Field[Any, Any], Any, Any]] = []
        if action == "deleted":
            pass
        elif action == "changed" and before is not None:
            delta = record.diff_against(before, included_fields=[f.name for f in fields])
            changed = {c.field: c for c in delta.changes}
            diffs = [
                (f, changed[f.name].old, changed[f.name].new) for f in fields if f.name in changed
            ]
            if not diffs:
                continue
        else:  # a creation, or the first record we have of an object
            diffs = [(f, None, getattr(record, f.attname)) for f in fields]
            diffs = [d for d in diffs if not _empty(d[2])]
        raw.append((record, action, diffs))

    related = _related_labels(d for _, _, diffs in raw for d in diffs)
    changes = []
    for record, action, diffs in raw:
        user = record.history_user
        changes.append(
            Change(
                when=record.history_date,
                who=user.get_username() if user is not None else str(_("系统")),
                action=action,
                object_label=_object_label(model, record),
                fields=tuple(
                    FieldChange(
                        field=f.name,
                        label=str(labels.get(f.name, f.verbose_name)),
                        old=_display(f, old, related, masked),
                        new=_display(f, new, related, masked),
                    )
                    for f, old, new in diffs
                ),
                reason=record.history_change_reason or "",
                history_id=record.history_id,
            )
        )
    changes.sort(key=lambda c: (c.when, c.history_id), reverse=True)
    return changes


def _shown_fields(model: type[models.Model]) -> list[models.Field[Any, Any]]:
    tracked = {f.name for f in model.history.model.tracked_fields}  # type: ignore[attr-defined]
    pk = model._meta.pk
    return [
        f
        for f in model._meta.concrete_fields
        if f.name in tracked
        and f.editable
        and f is not pk
        and not any(part in f.name for part in _SECRET_PARTS)
    ]


def _empty(value: Any) -> bool:
    return value is None or value == "" or (hasattr(value, "name") and not value.name)


def _related_labels(
    diffs: Iterable[tuple[models.Field[Any, Any], Any, Any]],
) -> dict[tuple[str, Any], str]:
    """Names of the related objects the changes point to: one query per related model."""
    wanted: dict[tuple[type[models.Model], str], set[Any]] = defaultdict(set)
    for field, old, new in diffs:
        if field.is_relation and field.related_model is not None:
            target = field.target_field.attname  # type: ignore[attr-defined]
            for value in (old, new):
                if not _empty(value):
                    wanted[(field.related_model, target)].add(value)  # type: ignore[index]
    user_model = get_user_model()
    labels: dict[tuple[str, Any], str] = {}
    for (related_model, target), ids in wanted.items():
        label_key = related_model._meta.label_lower
        select, name = _RELATED.get(label_key, ((), str))
        if related_model is user_model:
            name = _username
        rows = related_model._default_manager.select_related(*select).filter(
            **{f"{target}__in": ids}
        )
        for row in rows:
            labels[(label_key, getattr(row, target))] = name(row)
    return labels


def _username(user: Any) -> str:
    return str(user.get_username())


def _display(
    field: models.Field[Any, Any],
    value: Any,
    related: dict[tuple[str, Any], str],
    masked: dict[str, Callable[[str], str]],
) -> str:
    if _empty(value):
        return ""
    if field.name in masked:
        return masked[field.name](str(value))
    if field.is_relation and field.related_model is not None:
        key = (field.related_model._meta.label_lower, value)  # type: ignore[union-attr]
        return related.get(key, f"#{value}")
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return str(_("是") if value else _("否"))
    if isinstance(value, datetime):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(field, models.FileField):
        return os.path.basename(str(getattr(value, "name", value)))
    return str(value)


def _object_label(model: type[models.Model], record: Any) -> str:
    """``佐证材料「消防检查记录」``: the model's name and the object's own ``__str__``."""
    name = str(model._meta.verbose_name)
    try:
        text = str(record.instance)
    except Exception:  # a deleted related object must not break a history page
        text = ""
    return f"{name}「{text}」" if text else name
