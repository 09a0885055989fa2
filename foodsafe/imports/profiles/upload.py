"""A mapping profile uploaded through the web (the office only): parsed with care.

The YAML must be UTF-8, at most ``forms.PROFILE_MAX_BYTES`` (checked before), and may not use
anchors or aliases (``&a`` / ``*a``): an alias can make a few kilobytes expand into gigabytes
("billion laughs"), and a profile never needs one. Then it is checked exactly as a shipped
profile (``parse_profile``). Errors are ``ValueError`` with a message naming the file and key.
"""

from __future__ import annotations

import hashlib

import yaml

from .spec import Profile, ProfileError, parse_profile


def parse_uploaded_profile(data: bytes, *, name: str) -> Profile:
    """The profile in ``data`` (an uploaded .yaml), checked; ``ValueError`` otherwise."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValueError(f"{name}：映射配置应为 UTF-8 编码的 YAML 文本") from None
    try:
        for token in yaml.scan(text):
            if isinstance(token, yaml.AnchorToken | yaml.AliasToken):
                line = token.start_mark.line + 1
                raise ValueError(
                    f"{name}：第{line}行使用了 YAML 锚点或别名（& / *），映射配置中不允许"
                )
        raw = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"第{mark.line + 1}行" if mark else ""
        raise ValueError(f"{name}：YAML 语法错误{where}：{getattr(exc, 'problem', exc)}") from None
    try:
        profile = parse_profile(raw, path=name)
    except ProfileError as exc:
        raise ValueError(str(exc)) from None
    return profile.model_copy(update={"path": name, "sha256": hashlib.sha256(data).hexdigest()})
