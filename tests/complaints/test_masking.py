import pytest

from foodsafe.lib.masking import mask_name, mask_phone


@pytest.mark.parametrize(
    ("phone", "masked"),
    [
        ("13812345678", "138****5678"),  # mobile: keep 3 + 4
        ("022-23456789", "022*****6789"),  # 12 characters: 12 - 7 = 5 stars
        ("1234567", "*****67"),  # short: keep the last 2
        ("", ""),
    ],
)
def test_mask_phone(phone, masked):
    assert mask_phone(phone) == masked


@pytest.mark.parametrize(
    ("name", "masked"), [("张三丰", "张**"), ("李四", "李*"), ("王", "王"), ("", "")]
)
def test_mask_name(name, masked):
    assert mask_name(name) == masked
