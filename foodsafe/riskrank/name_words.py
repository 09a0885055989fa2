"""Words in an operator's name that say what kind of place it is (店名用词): 火锅, 超市, 食堂,
RESTAURANT, CAFE, CART … ``name_words.yaml`` ([I], our reading) lists them; each listed word is a
0/1 input of the model (``features.name_word_vector``). ``FOODSAFE_RISKRANK_NAME_WORDS`` names
another file.

Why: a business's name is known to a planner at any date and says more about its kind than the
registered format (业态) alone; on San Francisco's 2016 validation windows these words moved the
replay by +1.2 days (docs/inspection-order.md). The list holds only words for the kind of place,
its service or its products; words naming a nation, region, ethnicity or cuisine of origin, a
person or a place are left out on purpose (a learnt order must not send inspectors to operators
for who runs them).

Matching: a word in Latin letters or digits matches a whole word of the name (case ignored, so
"AT" does not match "EAT"); any other word (Chinese) matches anywhere in the name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.conf import settings

from foodsafe.lib.specfiles import SpecFileError, read_yaml_file

DEFAULT_NAME_WORDS_FILE = Path(__file__).with_name("name_words.yaml")
_ASCII_WORD = re.compile(r"[0-9a-z]+")


@dataclass(frozen=True)
class NameWords:
    words: tuple[str, ...]  # casefolded, in the file's order, no duplicates

    def present(self, name: str) -> list[float]:
        """1.0 for each listed word found in ``name``, else 0.0, in ``words`` order."""
        text = name.casefold()
        tokens = set(_ASCII_WORD.findall(text))
        return [
            float(w in tokens if w.isascii() else w in text)  # Chinese: anywhere in the name
            for w in self.words
        ]


def parse_name_words(data: object, *, source: str) -> NameWords:
    """Check and build the list; ``SpecFileError`` names the file and the key."""
    if not isinstance(data, dict):
        raise SpecFileError(source, "(root)", "the file must be a mapping with the key words")
    value = data.get("words")
    if not isinstance(value, list) or not all(isinstance(w, str) and w.strip() for w in value):
        raise SpecFileError(source, "words", "must be a list of non-empty words")
    seen: dict[str, None] = {}
    for w in value:
        word = w.strip().casefold()
        if word.isascii() and not _ASCII_WORD.fullmatch(word):
            raise SpecFileError(source, "words", f"'{w}' must be one word of letters or digits")
        seen.setdefault(word, None)
    return NameWords(words=tuple(seen))


@cache
def _load(path: str) -> NameWords:
    data, _raw = read_yaml_file(Path(path), SpecFileError)
    return parse_name_words(data, source=path)


def name_words_spec() -> NameWords:
    """The list in force (``FOODSAFE_RISKRANK_NAME_WORDS`` or the shipped ``name_words.yaml``)."""
    path = getattr(settings, "FOODSAFE_RISKRANK_NAME_WORDS", "") or str(DEFAULT_NAME_WORDS_FILE)
    return _load(str(path))
