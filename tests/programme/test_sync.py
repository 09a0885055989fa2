"""programme_sync writes the spec's units, items and assignments, idempotently."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from foodsafe.orgunits.models import ResponsibleUnit
from foodsafe.programme.models import ItemAssignment, Programme, TaskItem
from foodsafe.programme.services import programme_sync
from foodsafe.programme.spec import ProgrammeSpec, load_programme_spec

SPEC_PATH = (
    Path(__file__).resolve().parents[2] / "foodsafe" / "programme" / "specs" / "heping-2021.yaml"
)

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def spec() -> ProgrammeSpec:
    return load_programme_spec(SPEC_PATH)


def counts() -> tuple[int, int, int, int]:
    return (
        Programme.objects.count(),
        ResponsibleUnit.objects.count(),
        TaskItem.objects.count(),
        ItemAssignment.objects.count(),
    )


def assignments(programme: Programme, number: int) -> list[tuple[str, str, int]]:
    return list(
        ItemAssignment.objects.filter(item__programme=programme, item__number=number)
        .order_by("position")
        .values_list("responsible_unit__name", "role", "position")
    )


def with_item(spec: ProgrammeSpec, number: int, **changes) -> ProgrammeSpec:
    """A copy of ``spec`` with item ``number`` changed (the spec models are frozen)."""
    new = spec.item(number).model_copy(update=changes)
    return spec.model_copy(update={"items": [new if i.number == number else i for i in spec.items]})


def test_creates_the_expected_rows(spec):
    programme = programme_sync(spec=spec)
    total_units = sum(len(item.units) for item in spec.items)
    assert total_units == 88
    assert counts() == (1, 28, 33, total_units)
    assert (programme.code, programme.version) == ("heping-2021", "1.3.0")
    assert programme.name == spec.programme.name
    assert programme.spec_sha256 == spec.sha256
    assert list(programme.items.values_list("number", flat=True)) == list(range(1, 34))
    item13 = programme.items.get(number=13)
    assert (item13.group_code, item13.title) == ("capacity", "检验检测")
    assert item13.text == spec.item(13).text
    assert ResponsibleUnit.objects.get(code="subdistricts").is_collective
    assert not ResponsibleUnit.objects.get(code="market-regulation").is_collective


def test_roles_and_positions(spec):
    programme = programme_sync(spec=spec)
    assert assignments(programme, 25) == [
        ("区市场监管局", "lead", 0),
        ("区发展改革委", "cooperating", 1),
        ("区委网信办", "cooperating", 2),
        ("相关成员单位", "cooperating", 3),
    ]
    assert [name for name, *_ in assignments(programme, 1)] == spec.unit_names(1)
    assert assignments(programme, 4) == [("区发展改革委", "responsible", 0)]


def test_idempotent(spec):
    first = programme_sync(spec=spec)
    before = counts()
    rows = list(
        ItemAssignment.objects.values_list(
            "pk", "item_id", "responsible_unit_id", "role", "position"
        )
    )
    second = programme_sync(spec=spec)
    assert second.pk == first.pk
    assert counts() == before
    assert (
        list(
            ItemAssignment.objects.values_list(
                "pk", "item_id", "responsible_unit_id", "role", "position"
            )
        )
        == rows
    )


def test_removes_a_dropped_assignment(spec):
    programme = programme_sync(spec=spec)
    units = spec.item(1).units
    dropped = spec.unit(units[-1].unit).name
    assert dropped == "区食药安委各成员单位"
    programme_sync(spec=with_item(spec, 1, units=units[:-1]))
    assert dropped not in [name for name, *_ in assignments(programme, 1)]
    assert len(assignments(programme, 1)) == 7
    assert ItemAssignment.objects.count() == 87
    # The unit itself stays: other items still name it.
    assert ResponsibleUnit.objects.filter(name=dropped).exists()


def test_updates_roles_order_and_text(spec):
    programme = programme_sync(spec=spec)
    reordered = list(reversed(spec.item(16).units))
    programme_sync(spec=with_item(spec, 16, units=reordered, text="改写后的内容。"))
    assert assignments(programme, 16) == [
        ("区市场监管局", "responsible", 0),
        ("区科技局", "responsible", 1),
    ]
    assert programme.items.get(number=16).text == "改写后的内容。"


def test_removes_items_no_longer_in_spec(spec):
    programme = programme_sync(spec=spec)
    shorter = spec.model_copy(update={"items": [i for i in spec.items if i.number != 33]})
    programme_sync(spec=shorter)
    assert programme.items.count() == 32
    assert ItemAssignment.objects.count() == 88 - len(spec.item(33).units)


def test_spec_without_file_gets_a_digest(spec):
    in_memory = spec.model_copy(update={"sha256": "", "path": ""})
    programme = programme_sync(spec=in_memory)
    assert len(programme.spec_sha256) == 64


def test_loadprogramme_command(capsys, settings):
    call_command("loadprogramme", spec=str(SPEC_PATH))
    settings.FOODSAFE_PROGRAMME_SPEC = str(SPEC_PATH)
    call_command("loadprogramme")  # the default: settings.FOODSAFE_PROGRAMME_SPEC
    assert counts() == (1, 28, 33, 88)
    assert "heping-2021 v1.3.0: 33 items" in capsys.readouterr().out


def test_loadprogramme_bad_spec_exits_2(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("programme: [\n", encoding="utf-8")
    with pytest.raises(CommandError) as info:
        call_command("loadprogramme", spec=str(bad))
    assert info.value.returncode == 2
    assert "bad.yaml" in str(info.value)
    assert counts() == (0, 0, 0, 0)
