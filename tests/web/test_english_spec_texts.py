"""English mode (cookie django_language=en): the programme's own English texts — an indicator's
``name_en`` and ``reading_en``, a gap's ``en``, an item's and a group's ``title_en``, a phase's
``name_en`` — stand where the page would show the Chinese; the Chinese pages are unchanged."""

from __future__ import annotations

import dataclasses

import pytest
import time_machine
from django.urls import reverse
from django.utils import translation

from foodsafe.lib import i18n
from foodsafe.programme.in_force import programme_spec
from foodsafe.reports import sample
from tests.conftest import DISTRICT
from tests.tasks.board_data import load_programme

RESIDUE = "residue_sampling_per_thousand"


def page(client, user, url, language):
    client.force_login(user)
    client.cookies["django_language"] = language
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def spec_indicator(code):
    return next(i for i in programme_spec().indicators if i.code == code)


@pytest.fixture
def scorecard_url(fake_engine, monkeypatch):
    """The example scorecard, its residue indicator named and read as the engine names it from
    the spec (the example's own English name is only its code)."""
    spec_ind = spec_indicator(RESIDUE)
    example = sample.sample_indicators

    def indicators():
        return tuple(
            dataclasses.replace(
                i, name=spec_ind.name, name_en=spec_ind.name_en, reading=spec_ind.reading
            )
            if i.code == RESIDUE
            else i
            for i in example()
        )

    monkeypatch.setattr(sample, "sample_indicators", indicators)
    return reverse("web:scorecard", kwargs={"org_code": DISTRICT, "period": "2021"})


def scorecard_texts():
    """(Chinese, English) of the texts the English page must show in English."""
    spec = programme_spec()
    ind = spec_indicator(RESIDUE)
    group = next(g for g in spec.groups if g.code == spec.item(13).group)
    return [
        (ind.name, ind.name_en),
        # The example's gap, which carries both texts (text_zh, text_en) as the engine's do.
        ("还需抽检 312 批次", "312 more batches needed"),
        (ind.reading, ind.reading_en),
        (f"13. {spec.item(13).title}", f"13. {spec.item(13).title_en}"),
        (group.title, group.title_en),
    ]


def test_scorecard_in_english(client, office_user, scorecard_url):
    html = page(client, office_user, scorecard_url, "en")
    for _zh, en in scorecard_texts():
        assert en in html, en
    # Nowhere else on the page are the gap and the reading written out in Chinese.
    assert "还需抽检 312 批次" not in html
    assert spec_indicator(RESIDUE).reading not in html
    assert f"13. {programme_spec().item(13).title}" not in html


def test_scorecard_in_chinese(client, office_user, scorecard_url):
    html = page(client, office_user, scorecard_url, "zh-hans")
    for zh, en in scorecard_texts():
        assert zh in html, zh
        assert en not in html, en


@pytest.fixture
def board(db, office_admin):
    load_programme()
    with time_machine.travel("2021-08-10 10:00 +0800", tick=False):  # 全面推动阶段
        yield reverse("tasks:board")


def board_texts():
    spec = programme_spec()
    full_push = next(p for p in spec.phases if p.code == "full_push")  # the phase of 2021-08-10
    return [(spec.item(5).title, spec.item(5).title_en), (full_push.name, full_push.name_en)]


def test_task_board_in_english(client, office_admin, board):
    html = page(client, office_admin, board, "en")
    for zh, en in board_texts():
        assert en in html, en
        assert zh not in html, zh


def test_task_board_in_chinese(client, office_admin, board):
    html = page(client, office_admin, board, "zh-hans")
    for zh, en in board_texts():
        assert zh in html, zh
        assert en not in html, en


@dataclasses.dataclass
class Named:
    name: str
    name_en: str


def test_english_only_where_there_is_one():
    with translation.override("en"):
        assert i18n.in_language(Named("启动阶段", "Launch"), "name") == "Launch"
        assert i18n.in_language(Named("启动阶段", ""), "name") == "启动阶段"
    with translation.override("zh-hans"):
        assert i18n.in_language(Named("启动阶段", "Launch"), "name") == "启动阶段"
