"""The page where the office records an operator's static factors (静态风险因素, from its licence
file) and the facts the year-end adjustment needs (调整事实): the form fields of a static table
and what a posted form means. The writes are ``services.static_factors_record`` and
``services.adjustment_fact_record`` (each with its history row naming the user)."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from foodsafe.accounts.permissions import require_may_open
from foodsafe.lib.params import BadDate, posted_date

from . import selectors
from .in_force import grading_spec
from .models import FactKind, StaticFactors
from .scoring import FactorError, factor_points
from .services import GradingError, adjustment_fact_record, static_factors_record
from .spec import GradingSpec, StaticTable


def static_values(table: StaticTable, data: Any) -> tuple[dict[str, Any], list[str]]:
    """The factor values a posted form gives (``f-<code>``; a multiple choice as several
    values), and every problem in Chinese naming the factor. A blank factor is left out (缺项得
    0 分); a number is kept as an int when whole, else as a float."""
    values: dict[str, Any] = {}
    problems: list[str] = []
    for item in table.items:
        key = f"f-{item.code}"
        if item.kind == "flag":
            if data.get(key) == "1":
                values[item.code] = True
            continue
        if item.kind == "choice" and item.multiple:
            chosen = [v for v in data.getlist(key) if v]
            if chosen:
                values[item.code] = chosen
            continue
        raw = (data.get(key) or "").strip()
        if not raw:
            continue
        if item.kind == "choice":
            values[item.code] = raw
            continue
        try:
            number = Decimal(raw)
        except InvalidOperation:
            problems.append(f"{item.name}（{item.code}）应为数字，实际为 {raw!r}")
            continue
        if not number.is_finite() or number < 0:
            problems.append(f"{item.name}（{item.code}）应为不小于 0 的数字，实际为 {raw!r}")
            continue
        values[item.code] = int(number) if number == number.to_integral_value() else float(number)
    for code, value in values.items():
        try:
            factor_points(table.item(code), value)
        except FactorError as exc:
            problems.append(str(exc))
    return values, problems


def form_rows(table: StaticTable, values: dict[str, Any]) -> list[dict[str, Any]]:
    """Each factor of ``table`` with its value and, when it can be scored, its points."""
    rows = []
    for item in table.items:
        value = values.get(item.code)
        try:
            points: Decimal | None = factor_points(item, value)
        except FactorError:
            points = None
        chosen = value if isinstance(value, list) else ([] if value is None else [str(value)])
        rows.append({"item": item, "value": value, "chosen": chosen, "points": points})
    return rows


def _table(spec: GradingSpec, business: Any, code: str) -> StaticTable | None:
    """The table asked for (one of the operator's sector), else the one its format takes."""
    if code:
        try:
            table = spec.static_table(code)
        except KeyError:
            raise Http404 from None
        if table.sector != business.sector:
            raise Http404
        return table
    return spec.static_table_for(business.sector, business.business_format)


def _fact(request: HttpRequest, business: Any) -> list[str]:
    """Record the posted adjustment fact; the problems, or ``[]`` when saved."""
    try:
        # Format and 2000–2100 here; "not after today" is the service's, reported together
        # with its other checks (有效期至 before the day).
        occurred = posted_date(
            request.POST.get("occurred_on"), label=_("发生（取得）日期"), future=True
        )
        # A certificate's 有效期至 lies ahead: 2000–2100 only.
        until = posted_date(
            request.POST.get("valid_until"), label=_("有效期至"), required=False, future=True
        )
    except BadDate as exc:
        return [str(exc)]
    assert occurred is not None  # noqa: S101 - required
    try:
        adjustment_fact_record(
            business=business,
            kind=request.POST.get("kind", ""),
            occurred_on=occurred,
            valid_until=until,
            description=request.POST.get("description", ""),
            actor=request.user,
        )
    except GradingError as exc:
        return list(exc.messages)
    return []


@login_required
def records(request: HttpRequest, pk: int) -> HttpResponse:
    """静态风险因素和调整事实: the office records an operator's static factors on a table of its
    sector (every factor named from the spec, with the points it gives) and adds facts for the
    year-end adjustment. Both are kept with their history (who, when, what before)."""
    require_may_open(request.user, "riskgrading:records")
    business = selectors.business_for(request.user, pk)
    spec = grading_spec()
    current = StaticFactors.objects.filter(business=business).first()
    asked = request.POST.get("table") or request.GET.get("table") or ""
    table = _table(spec, business, asked or (current.table if current else ""))
    values: dict[str, Any] = (
        dict(current.values) if current and table and current.table == (table.code) else {}
    )
    static_errors: list[str] = []
    fact_errors: list[str] = []
    posted: dict[str, str] = {}
    action = request.POST.get("action", "") if request.method == "POST" else ""
    if action == "static" and table is not None:
        values, static_errors = static_values(table, request.POST)
        if not static_errors:
            try:
                static_factors_record(
                    business=business,
                    spec=spec,
                    table=table.code,
                    values=values,
                    actor=request.user,
                )
            except GradingError as exc:
                static_errors = list(exc.messages)
            else:
                messages.success(request, _("已保存静态风险因素。"))
                return redirect("riskgrading:records", pk=business.pk)
    elif action == "fact":
        posted = request.POST.dict()
        fact_errors = _fact(request, business)
        if not fact_errors:
            messages.success(request, _("已登记调整事实。"))
            return redirect("riskgrading:records", pk=business.pk)
    elif request.method == "POST":
        raise Http404
    status = 400 if static_errors or fact_errors else 200
    return render(
        request,
        "riskgrading/records.html",
        {
            "b": business,
            "spec": spec,
            "table": table,
            "tables": [t for t in spec.static_tables if t.sector == business.sector],
            "rows": form_rows(table, values) if table else [],
            "current": current,
            "static_history": selectors.static_history(current),
            "facts": selectors.facts_with_history(business),
            "kinds": FactKind.choices,
            "static_errors": static_errors,
            "fact_errors": fact_errors,
            "posted": posted,
            "today": timezone.localdate().isoformat(),
        },
        status=status,
    )
