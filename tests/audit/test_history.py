"""The audit trail on screen: foodsafe.audit.object_history / merged_history and the partial."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine
from django.template.loader import render_to_string

from foodsafe.audit import history_for, merged_history, object_history
from foodsafe.complaints.models import Complaint
from foodsafe.evidence.models import Evidence
from foodsafe.orgunits.models import ResponsibleUnit
from foodsafe.rectification.models import Rectification
from tests.factories import ComplaintFactory
from tests.tasks.board_data import add_evidence, add_rectification, assignment, load_programme


def save_as(obj, user, **changes):
    for name, value in changes.items():
        setattr(obj, name, value)
    obj._history_user = user
    obj.save()


@pytest.fixture
def unit(market_user):
    return ResponsibleUnit.objects.get(code="market-regulation")


def test_creation_and_changes_newest_first(unit, market_user, office_admin):
    with time_machine.travel("2021-08-02 09:00 +0800", tick=False):
        rect = add_rectification(unit, by=office_admin, deadline=date(2021, 8, 20))
    with time_machine.travel("2021-08-03 10:30 +0800", tick=False):
        save_as(rect, market_user, state="in_progress", measures="更换冷藏柜")
    changes = object_history(rect)
    assert [c.action for c in changes] == ["changed", "created"]
    latest, created = changes
    assert latest.who == "market_user"
    assert latest.when.isoformat() == "2021-08-03T02:30:00+00:00"
    assert [(f.label, f.old, f.new) for f in latest.fields] == [
        ("整改措施", "", "更换冷藏柜"),
        ("状态", "待整改", "整改中"),
    ]
    assert created.who == "office_admin" and created.action_label == "新建"
    shown = {f.label: f.new for f in created.fields}
    assert shown["责任单位"] == "区市场监管局"
    assert shown["来源"] == "自查"
    assert shown["整改期限"] == "2021-08-20"
    assert shown["登记人"] == "office_admin"
    assert "销号日期" not in shown  # empty fields are left out of a creation
    assert created.object_label.startswith("整改事项「ZG2021-")


def test_foreign_keys_show_names(unit, market_user, office_admin, reviewer):
    load_programme(items=2)
    a = assignment(1, "committee-office")
    evidence = add_evidence(a, by=market_user, requirement="表彰奖励和问责的文件")
    save_as(evidence, reviewer, status="approved", reviewed_by=reviewer)
    created = object_history(evidence)[-1]
    shown = {f.label: f.new for f in created.fields}
    assert shown["上传人"] == "market_user"
    assert shown["任务及责任单位"].startswith("1. 党政同责 · 区食药安办")
    assert shown["文件"].startswith("file") and shown["文件"].endswith(".pdf")
    review = object_history(evidence)[0]
    fields = {f.field: (f.old, f.new) for f in review.fields}
    assert fields["status"] == ("待审核", "审核通过")
    assert fields["reviewed_by"] == ("", "reviewer")


def test_unchanged_save_is_left_out(unit, office_admin):
    rect = add_rectification(unit, by=office_admin, deadline=date(2021, 8, 20))
    save_as(rect, office_admin)
    assert rect.history.count() == 2
    assert [c.action for c in object_history(rect)] == ["created"]


def test_change_without_user_is_by_the_system(unit, office_admin):
    rect = add_rectification(unit, by=office_admin, deadline=date(2021, 8, 20))
    del rect._history_user
    rect.title = "新问题"
    rect.save()
    assert object_history(rect)[0].who == "系统"


def test_deletion(unit, office_admin):
    rect = add_rectification(unit, by=office_admin, deadline=date(2021, 8, 20))
    pk = rect.pk
    rect._history_user = office_admin
    rect.delete()
    changes = merged_history(Rectification.objects.filter(pk=pk))
    assert changes == []  # a deleted object is not in a queryset any more
    changes = history_for(Rectification, [pk])
    assert [c.action for c in changes] == ["deleted", "created"]
    assert changes[0].fields == ()


def test_merged_history_orders_across_models(unit, market_user, office_admin):
    load_programme(items=1)
    a = assignment(1, "committee-office")
    with time_machine.travel("2021-08-01 09:00 +0800", tick=False):
        rect = add_rectification(unit, by=office_admin, deadline=date(2021, 8, 20))
    with time_machine.travel("2021-08-02 09:00 +0800", tick=False):
        ev = add_evidence(a, by=market_user)
    with time_machine.travel("2021-08-03 09:00 +0800", tick=False):
        save_as(rect, market_user, state="in_progress")
    changes = merged_history(
        Evidence.objects.filter(pk=ev.pk), Rectification.objects.filter(pk=rect.pk)
    )
    assert [(c.object_label[:4], c.action) for c in changes] == [
        ("整改事项", "changed"),
        ("佐证材料", "created"),
        ("整改事项", "created"),
    ]


def test_query_count_does_not_grow_with_objects(
    unit, market_user, office_admin, django_assert_num_queries
):
    rects = [add_rectification(unit, by=office_admin, deadline=date(2021, 8, 20)) for _ in range(2)]
    for r in rects:
        save_as(r, market_user, state="in_progress")
    with django_assert_num_queries(4):  # pks, records, two related models (unit, user)
        small = merged_history(Rectification.objects.filter(pk__in=[r.pk for r in rects]))
    more = [add_rectification(unit, by=office_admin, deadline=date(2021, 8, 21)) for _ in range(6)]
    for r in more:
        save_as(r, market_user, state="in_progress")
    with django_assert_num_queries(4):
        large = merged_history(Rectification.objects.all())
    assert len(small) == 4 and len(large) == 16


PHONE = "13812345678"


def test_complainant_phone_never_shown_and_name_masked(district, office_admin):
    complaint = ComplaintFactory(
        org_unit=district, complainant_name="张三丰", complainant_phone=PHONE, summary="饭菜变质"
    )
    save_as(complaint, office_admin, complainant_phone="13900001111", summary="饭菜变质，已协调")
    save_as(complaint, office_admin, complainant_name="李四", complainant_phone="")
    changes = object_history(complaint)
    labels = [f.label for c in changes for f in c.fields]
    assert "联系电话" not in labels
    values = [v for c in changes for f in c.fields for v in (f.old, f.new)]
    assert "张**" in values and "李*" in values
    assert not any("张三丰" in v or "李四" in v for v in values)
    html = render_to_string("web/_audit.html", {"changes": changes, "show_object": True})
    for secret in (PHONE, "13900001111", "5678", "1111", "张三丰", "李四"):
        assert secret not in html
    assert "投诉人" in html and "张**" in html
    assert Complaint.history.model.__name__ == "HistoricalComplaint"


def test_partial_renders_old_and_new(unit, market_user, office_admin):
    with time_machine.travel("2021-08-02 09:00 +0800", tick=False):
        rect = add_rectification(unit, by=office_admin, deadline=date(2021, 8, 20))
    with time_machine.travel("2021-08-03 10:30 +0800", tick=False):
        save_as(rect, market_user, state="in_progress")
    html = render_to_string("web/_audit.html", {"changes": object_history(rect)})
    assert "修改记录" in html
    assert "2021-08-03 10:30" in html  # local time (Asia/Shanghai)
    assert "<del>待整改</del> → <ins>整改中</ins>" in html
    assert "market_user" in html and "office_admin" in html


def test_partial_without_changes():
    html = render_to_string("web/_audit.html", {"changes": []})
    assert "暂无修改记录" in html
