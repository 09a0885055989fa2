"""A mapping profile on the upload page in a real browser, at desktop width and at 375 px
(issue 18 point 1): the office picks the shipped ``sampling_notice`` profile and its org-unit
parameter, uploads the notice (tests/data/profiles/sampling_notice.xlsx), sees per step what
would be imported (7 batches, 12 test items) and the note under the table set aside by the
profile's filter, confirms, and the batches are written."""

from __future__ import annotations

from pathlib import Path

import pytest

from foodsafe.sampling.models import SamplingBatch
from tests.conftest import DISTRICT

from .conftest import login, screenshot

NOTICE = Path(__file__).resolve().parents[1] / "data" / "profiles" / "sampling_notice.xlsx"


@pytest.mark.parametrize("width", [1280, 375])
def test_profile_preview_and_confirm(page, district, office_admin, width):
    page.set_viewport_size({"width": width, "height": 900})
    login(page, "office_admin")
    page.goto("/imports/")
    page.select_option("#id_ledger", "sampling")
    page.select_option("#id_profile", "sampling_notice")
    page.fill("#id_params", f"org_unit={DISTRICT}")
    page.set_input_files("#id_file", str(NOTICE))
    page.click("form.upload-form button[type=submit]")
    page.wait_for_url("**/imports/preview/**")

    steps = page.locator("table.profile-steps tbody tr").all_inner_texts()
    assert [s.split("\t")[:3] for s in steps] == [
        ["sampling", "7", "7"],
        ["test_items", "12", "12"],
    ]
    aside = page.locator("table.set-aside tbody tr").all_inner_texts()
    assert len(aside) == 1 and "filters[0]" in aside[0] and "11" in aside[0]
    assert SamplingBatch.objects.count() == 0
    too_wide = page.evaluate(
        "() => [...document.querySelectorAll('main section, main .page-head')]"
        ".filter((el) => el.getBoundingClientRect().right > window.innerWidth + 1).length"
    )
    assert too_wide == 0
    screenshot(page, f"import-profile-{width}")

    page.click("form[action$='/confirm/'] button[type=submit]")
    page.wait_for_url("**/imports/log/**")
    assert SamplingBatch.objects.count() == 7
