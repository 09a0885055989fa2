"""Words of an operator's name as inputs of the risk-ranked order (name_words.yaml, [I])."""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import pytest

from foodsafe.lib.specfiles import SpecFileError
from foodsafe.riskrank.features import operator_features, reason, snapshot
from foodsafe.riskrank.history import OperatorHistory, PastInspection
from foodsafe.riskrank.name_words import name_words_spec, parse_name_words
from foodsafe.riskrank.ranking import METHOD_MODEL, rank_histories

AS_OF = date(2021, 10, 1)


def test_matching_by_hand():
    spec = parse_name_words({"words": ["AT", "火锅", "Cafe", "cafe"]}, source="w.yaml")
    assert spec.words == ("at", "火锅", "cafe")  # casefolded, the repeat dropped
    # Latin words match whole words: "AT" in "EAT AT JOE'S" but not inside "EATERY";
    # Chinese words anywhere: 火锅 inside 老王火锅店.
    assert spec.present("EAT AT JOE'S") == [1.0, 0.0, 0.0]
    assert spec.present("Joe's Eatery Cafe") == [0.0, 0.0, 1.0]
    assert spec.present("老王火锅店") == [0.0, 1.0, 0.0]


@pytest.mark.parametrize(
    ("data", "key"),
    [([], "(root)"), ({"words": "cafe"}, "words"), ({"words": ["two words"]}, "words")],
)
def test_bad_lists_name_the_file_and_key(data, key):
    with pytest.raises(SpecFileError) as err:
        parse_name_words(data, source="w.yaml")
    assert err.value.path == "w.yaml" and err.value.key == key


def test_shipped_list_leaves_out_origin_person_and_place_words():
    """The [I] rule of name_words.yaml: words for the kind of place only, none that name a
    cuisine of origin, an ethnicity, a person or a place (they would target who runs it)."""
    words = set(name_words_spec().words)
    assert {"restaurant", "cafe", "cart", "火锅", "超市", "食堂"} <= words
    assert not words & {"chinese", "thai", "taqueria", "sushi", "lee", "hong", "川菜", "兰州"}


def test_a_name_word_is_a_feature_with_its_reason():
    h = OperatorHistory(
        operator_id=1, name="老王火锅店", business_format="restaurant", org_unit="120101001000"
    )
    f = operator_features(h, as_of=AS_OF)
    assert f["name_火锅"] == 1 and f["name_超市"] == 0
    s = snapshot(h, as_of=AS_OF)
    assert reason(s, "name_火锅") == "名称含“火锅”"
    assert reason(s, "name_超市") is None


def test_the_model_learns_a_name_word():
    """Training history where every 火锅 operator fails and every other passes, with nothing
    else to tell them apart: the model puts the never-inspected 火锅 operator first and says why."""
    rng = np.random.default_rng(5)
    city = []
    for pk in range(1, 301):
        hot = rng.random() < 0.3
        visits = tuple(
            PastInspection(d, "noncompliant" if hot else "compliant")
            for k in range(5)
            if (d := date(2019, 1, 1) + timedelta(days=182 * k + pk % 90)) < AS_OF
        )
        city.append(
            OperatorHistory(
                operator_id=pk,
                name=f"{'火锅' if hot else '面包'}店{pk}",
                business_format="restaurant",
                org_unit="120101001000",
                inspections=visits,
            )
        )
    new = [
        OperatorHistory(
            operator_id=9000 + k, name=n, business_format="restaurant", org_unit="120101001000"
        )
        for k, n in enumerate(["新开面包店", "新开火锅店"])
    ]
    ranked = rank_histories(new, city, as_of=AS_OF)
    assert ranked[0].method == METHOD_MODEL
    assert ranked[0].name == "新开火锅店"
    assert "名称含“火锅”" in ranked[0].reasons
