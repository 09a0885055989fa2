"""A challenge for the public forms that needs no outside service (人机验证): a small sum
written in Chinese numerals (e.g. 三十七加八等于几？), answered in digits; on the English pages
in English words ("What is thirty-seven plus eight?"), so that a reader of either language
can send the form.

The answer is never sent to the browser: the form carries a signed token with a random nonce,
the time it was issued and an HMAC of nonce and answer under the site's secret key, so the
answer cannot be read from the page or brute-forced offline. A token is good once (its nonce is
recorded in the cache and is the complaint's ``submission_key``), for at most an hour, and not
sooner than ``FOODSAFE_PUBLIC_MIN_FILL_SECONDS`` after it was issued (a person reads the form
first). Measured limits (docs/public.md): generic form-filling bots fail it (they do not read
Chinese numerals); a bot written for this site can parse the question, so the rate limit is what
bounds a targeted one.
"""

from __future__ import annotations

import secrets
import time
from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import get_language
from django.utils.translation import gettext as _

_SALT = "foodsafe.public.challenge"
MAX_AGE_SECONDS = 3600
_DIGITS = "零一二三四五六七八九"


class ChallengeFailed(ValueError):
    """The answer is wrong, the token expired, was used, or came too fast (message in Chinese)."""


@dataclass(frozen=True)
class Challenge:
    question: str
    token: str


def chinese_number(n: int) -> str:
    """0–99 in Chinese numerals: 7 → 七, 10 → 十, 15 → 十五, 40 → 四十, 37 → 三十七."""
    if not 0 <= n <= 99:
        raise ValueError(n)
    tens, units = divmod(n, 10)
    if tens == 0:
        return _DIGITS[units]
    head = "" if tens == 1 else _DIGITS[tens]
    return head + "十" + (_DIGITS[units] if units else "")


_ONES = (
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen"
).split()
_TENS = "_ _ twenty thirty forty fifty sixty seventy eighty ninety".split()


def english_number(n: int) -> str:
    """0–99 in English words: 7 → seven, 15 → fifteen, 40 → forty, 37 → thirty-seven."""
    if not 0 <= n <= 99:
        raise ValueError(n)
    if n < 20:
        return _ONES[n]
    tens, units = divmod(n, 10)
    return _TENS[tens] + (f"-{_ONES[units]}" if units else "")


def _question(a: int, b: int, plus: bool) -> str:
    if (get_language() or "").startswith("en"):
        return f"What is {english_number(a)} {'plus' if plus else 'minus'} {english_number(b)}?"
    return f"{chinese_number(a)}{'加' if plus else '减'}{chinese_number(b)}等于几？"


def _mac(nonce: str, answer: int) -> str:
    return salted_hmac(_SALT, f"{nonce}:{answer}").hexdigest()


def challenge_new() -> Challenge:
    """A new question and its token."""
    a = 10 + secrets.randbelow(80)
    b = 1 + secrets.randbelow(9)
    plus = bool(secrets.randbelow(2))
    question, answer = _question(a, b, plus), (a + b if plus else a - b)
    nonce = secrets.token_urlsafe(16)
    token = signing.dumps({"n": nonce, "m": _mac(nonce, answer), "t": int(time.time())}, salt=_SALT)
    return Challenge(question, token)


def challenge_check(token: str, answer: str) -> str:
    """The token's nonce if ``answer`` is right and the token is fresh and unused; marks it used.
    Raises :class:`ChallengeFailed` otherwise."""
    try:
        data = signing.loads(token or "", salt=_SALT, max_age=MAX_AGE_SECONDS)
        nonce, mac, issued = str(data["n"]), str(data["m"]), int(data["t"])
    except (signing.BadSignature, KeyError, TypeError, ValueError) as exc:
        raise ChallengeFailed(_("验证已过期，请重新作答")) from exc
    if time.time() - issued < settings.FOODSAFE_PUBLIC_MIN_FILL_SECONDS:
        raise ChallengeFailed(_("提交过快，请稍候再提交"))
    text = (answer or "").strip()
    if not text.lstrip("-").isdigit() or not constant_time_compare(mac, _mac(nonce, int(text))):
        raise ChallengeFailed(_("验证答案不正确，请重新计算"))
    if not cache.add(f"public-challenge-used:{nonce}", 1, MAX_AGE_SECONDS):
        raise ChallengeFailed(_("该表单已经提交过，请勿重复提交"))
    return nonce


def challenge_nonce(token: str) -> str | None:
    """The nonce of a well-signed token, checked for nothing else (to find what a resubmitted
    form already stored)."""
    try:
        return str(signing.loads(token or "", salt=_SALT, max_age=MAX_AGE_SECONDS)["n"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None
