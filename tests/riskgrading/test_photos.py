"""Photos per checklist item (issue 12 point 2): uploaded with the checklist on the phone page,
checked by content and size, stored outside the static files under a random name, shown on the
operator file and served only to those who may open that operator."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils.functional import empty

from foodsafe.evidence.models import private_storage
from foodsafe.inspections.models import Inspection
from foodsafe.riskgrading.models import ChecklistPhoto
from tests.conftest import SUB_A
from tests.evidence.files import jpeg, pdf, png
from tests.factories import FoodBusinessFactory

from .helpers import national

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _in_2022_private_media(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    private_storage._wrapped = empty
    with time_machine.travel(date(2022, 1, 10), tick=False):
        yield
    private_storage._wrapped = empty


@pytest.fixture
def shops(district):
    return {
        "restaurant": FoodBusinessFactory(
            name="示例餐馆", business_format="restaurant", org_unit_id=SUB_A
        ),
        "canteen": FoodBusinessFactory(
            name="示例学校食堂", business_format="school_canteen", org_unit_id=SUB_A
        ),
    }


def client_for(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def form(**extra) -> dict:
    checklist = national().checklist_for("catering")
    assert checklist is not None
    data = {f"a-{i.code}": "yes" for i in checklist.items}
    data.update(
        {"a-6.1": "no", "n-6.1": "冷库内发现过期原料"},
        inspected_on="2022-01-08",
        inspection_type="routine",
        inspector_1="张检查",
        badge_1="12010001",
        inspector_2="李检查",
        badge_2="12010002",
        signed_by="王店长",
    )
    data.update(extra)
    return data


def test_photos_saved_with_the_checklist_and_served_in_scope(
    shops, inspector, education_user, market_user, settings
):
    """Two photos on item 6.1 (a PNG and a JPEG) and one on 4.1 are stored with the checklist:
    random names with our extension under PRIVATE_MEDIA_ROOT, the type found by content (the
    PNG was sent as image/jpeg named .jpg and is still stored as PNG). The operator file shows
    three thumbnails; the photo is served with nosniff and a sandbox to an inspector and to
    区市场监管局, and is a 404 to 区教育局 (a restaurant is not a school canteen)."""
    c = client_for(inspector)
    url = reverse("riskgrading:checklist", args=[shops["restaurant"].pk])
    data = form(
        **{
            "p-6.1": [
                SimpleUploadedFile("冷库.jpg", png(), content_type="image/jpeg"),
                SimpleUploadedFile("标签.jpeg", jpeg(), content_type="image/jpeg"),
            ],
            "p-4.1": [SimpleUploadedFile("地面.png", png(), content_type="image/png")],
        }
    )
    r = c.post(url, data)
    assert r.status_code == 302, r.content.decode()[:2000]
    photos = list(ChecklistPhoto.objects.order_by("item", "id"))
    assert [(p.item, p.content_type, p.original_name) for p in photos] == [
        ("4.1", "image/png", "地面.png"),
        ("6.1", "image/png", "冷库.jpg"),
        ("6.1", "image/jpeg", "标签.jpeg"),
    ]
    first = photos[1]
    assert first.file.name.startswith("checklist-photos/2022/01/")
    assert first.file.name.endswith(".png") and "冷库" not in first.file.name
    assert (settings.PRIVATE_MEDIA_ROOT / first.file.name).read_bytes() == png()
    assert first.size == len(png()) and first.history.latest().history_user == inspector
    assert first.checklist.inspection.business == shops["restaurant"]

    page = c.get(reverse("riskgrading:operator", args=[shops["restaurant"].pk])).content.decode()
    assert page.count('class="thumb"') == 3
    assert reverse("riskgrading:photo", args=[first.pk]) in page

    photo_url = reverse("riskgrading:photo", args=[first.pk])
    r = c.get(photo_url)
    assert r.status_code == 200 and r["Content-Type"] == "image/png"
    assert b"".join(r.streaming_content) == png()
    assert r["X-Content-Type-Options"] == "nosniff"
    assert r["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert "no-store" in r["Cache-Control"]
    assert "attachment" in c.get(photo_url, {"download": "1"})["Content-Disposition"]
    assert client_for(market_user).get(photo_url).status_code == 200
    assert client_for(education_user).get(photo_url).status_code == 404
    assert Client().get(photo_url).status_code == 302  # to the login page


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (
            lambda: SimpleUploadedFile("photo.jpg", pdf(), content_type="image/jpeg"),
            "检查项 6.1 的文件“photo.jpg”不是 PNG 或 JPEG 图片（按文件内容判断）",
        ),
        (
            lambda: SimpleUploadedFile("x.png", b"", content_type="image/png"),
            "检查项 6.1 的照片“x.png”是空文件（0 字节）",
        ),
        (
            lambda: SimpleUploadedFile("big.png", png() + b"\0" * 2000, content_type="image/png"),
            "检查项 6.1 的照片“big.png”大小为",
        ),
    ],
    ids=["pdf-named-jpg", "empty", "too-large"],
)
def test_bad_photos_refuse_the_whole_checklist(shops, inspector, settings, upload, message):
    """A PDF named .jpg, an empty file or a file over FOODSAFE_MAX_PHOTO_BYTES (set to 1 KiB
    here) refuses the checklist: 400, the message names the item and the file, the answers are
    kept, nothing is written (no inspection, no photo row, no file)."""
    settings.FOODSAFE_MAX_PHOTO_BYTES = 1024
    c = client_for(inspector)
    url = reverse("riskgrading:checklist", args=[shops["restaurant"].pk])
    r = c.post(url, form(**{"p-6.1": [upload()]}))
    assert r.status_code == 400
    page = r.content.decode()
    assert message in page
    assert 'value="冷库内发现过期原料"' in page
    assert "已选择的照片未保留" in page
    assert not Inspection.objects.exists() and not ChecklistPhoto.objects.exists()
    assert not (settings.PRIVATE_MEDIA_ROOT / "checklist-photos").exists()


def test_too_many_photos_for_an_item(shops, inspector):
    """Six photos on one item: over MAX_PER_ITEM (5)."""
    c = client_for(inspector)
    url = reverse("riskgrading:checklist", args=[shops["restaurant"].pk])
    files = [SimpleUploadedFile(f"{n}.png", png(), content_type="image/png") for n in range(6)]
    r = c.post(url, form(**{"p-6.1": files}))
    assert r.status_code == 400
    assert "检查项 6.1 最多上传 5 张照片，实际 6 张" in r.content.decode()
    assert not ChecklistPhoto.objects.exists()


def test_oversized_request_refused_before_reading(shops, inspector, settings):
    """A body longer than every photo at its limit together is refused without being read."""
    settings.FOODSAFE_MAX_PHOTO_BYTES = 10
    c = client_for(inspector)
    url = reverse("riskgrading:checklist", args=[shops["restaurant"].pk])
    r = c.post(url, form(**{"p-6.1": [SimpleUploadedFile("a.png", png())]}), CONTENT_LENGTH=10**9)
    assert r.status_code == 400
    assert "提交的内容过大" in r.content.decode()
    assert not Inspection.objects.exists()


def test_a_failed_write_leaves_no_file(shops, inspector, settings, monkeypatch):
    """When the transaction fails after a photo was written, the file is deleted again."""
    from foodsafe.riskgrading import photos

    real = photos.photos_store

    def store_then_fail(**kw):
        real(**kw)
        raise RuntimeError("database gone")

    monkeypatch.setattr("foodsafe.riskgrading.services.photos_store", store_then_fail)
    c = client_for(inspector)
    url = reverse("riskgrading:checklist", args=[shops["restaurant"].pk])
    with pytest.raises(RuntimeError):
        c.post(url, form(**{"p-6.1": [SimpleUploadedFile("a.png", png())]}))
    folder = settings.PRIVATE_MEDIA_ROOT / "checklist-photos"
    assert not folder.exists() or not any(p.is_file() for p in folder.rglob("*"))
    assert not ChecklistPhoto.objects.exists()
