"""The food category tree (食品分类: 食品大类 → 食品亚类 → 食品品种 → 食品细类) as data.

The tree is a YAML file (``specs/food-categories.yaml``, RULES-supervision.md §2.1–2.2): every
node has a code (2 digits per level), a name unique in the tree, optional aliases, and the
residue-bearing 细类 are marked ``residue: pesticide | vet_drug``. Sampling batches keep the code
(``SamplingBatch.category_code``); imports map the names people write onto it with
:meth:`CategoryTree.resolve`.
"""

from __future__ import annotations

import functools
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from pydantic import ValidationError

from foodsafe.lib.specfiles import SpecFileError, Strict, key_path, read_yaml_file

TREE_PATH = Path(__file__).with_name("specs") / "food-categories.yaml"
LEVELS = ("食品大类", "食品亚类", "食品品种", "食品细类")
Residue = Literal["pesticide", "vet_drug"]


class CategoryTreeError(SpecFileError):
    """A category tree that cannot be used (names file and key)."""


class UnknownCategory(ValueError):
    """A category name that is not in the tree; the message lists where to look."""


class _Node(Strict):
    code: str
    name: str
    aliases: list[str] = []
    residue: Residue | None = None
    children: list[_Node] = []


class _TreeFile(Strict):
    code: str
    version: str
    certainty: Literal["P", "S", "M", "I"]
    source: str = ""
    categories: list[_Node]


@dataclass(frozen=True)
class Category:
    """One node: ``level`` 1 (大类) to 4 (细类); ``residue`` set on residue-bearing nodes."""

    code: str
    name: str
    level: int
    residue: Residue | None
    parent: str | None
    children: tuple[str, ...] = ()

    @property
    def top(self) -> str:
        """The 大类 code."""
        return self.code[:2]

    @property
    def level_name(self) -> str:
        return LEVELS[self.level - 1]


def _fold(text: str) -> str:
    """A name as compared: NFKC (full-width brackets → ASCII), no whitespace."""
    return "".join(unicodedata.normalize("NFKC", text).split())


@dataclass
class CategoryTree:
    """The loaded tree: nodes by code, and every name and alias → code."""

    label: str
    nodes: dict[str, Category] = field(default_factory=dict)
    names: dict[str, str] = field(default_factory=dict)

    def __iter__(self) -> Iterator[Category]:
        return iter(self.nodes.values())

    def get(self, code: str) -> Category:
        return self.nodes[code]

    def tops(self) -> list[Category]:
        """The 大类 in code order."""
        return [c for c in self.nodes.values() if c.level == 1]

    def name_of(self, code: str) -> str:
        node = self.nodes.get(code)
        return node.name if node else code

    def resolve(self, name: str, food_name: str = "") -> Category:
        """The node a batch's category name stands for, refined to the 细类 its sample name
        (样品名称) names when that 细类 lies under it (蔬菜 + 韭菜 → 32020201).

        Raises :class:`UnknownCategory` when ``name`` is neither a name nor an alias in the tree.
        """
        code = self.names.get(_fold(name))
        if code is None:
            raise UnknownCategory(
                f"“{name}”不在食品分类（{self.label}）中：应填写食品大类、亚类、品种或细类的名称，"
                f"如 {'、'.join(c.name for c in self.tops()[:4])}…"
            )
        if food_name:
            finer = self.names.get(_fold(food_name))
            if finer is not None and finer.startswith(code) and finer != code:
                code = finer
        return self.nodes[code]

    def residue_bearing(self, code: str) -> bool:
        """Whether ``code`` is a residue-bearing node or has one below it."""
        return any(c.residue and c.code.startswith(code) for c in self.nodes.values())

    def residue_leaves(self, code: str) -> list[Category]:
        """The residue-bearing 细类 at or below ``code``."""
        return [
            c for c in self.nodes.values() if c.residue and c.level == 4 and c.code.startswith(code)
        ]


def load_category_tree(path: Path = TREE_PATH) -> CategoryTree:
    """Read and check the tree at ``path``.

    Raises :class:`CategoryTreeError` naming the file and key: a code that does not extend its
    parent's by two digits, a repeated code, or a name or alias used twice.
    """
    data, _raw = read_yaml_file(path, CategoryTreeError)
    try:
        spec = _TreeFile.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        raise CategoryTreeError(path, key_path(first["loc"]), first["msg"]) from None
    tree = CategoryTree(label=f"{spec.code} {spec.version}")

    def walk(nodes: list[_Node], parent: str | None, key: str, level: int) -> tuple[str, ...]:
        codes = []
        for index, node in enumerate(nodes):
            where = f"{key}[{index}]"
            expected = len(parent or "") + 2
            if (
                len(node.code) != expected
                or not node.code.isdigit()
                or not node.code.startswith(parent or "")
            ):
                raise CategoryTreeError(
                    path, f"{where}.code", f"编码应为上级编码后加两位数字：{node.code}"
                )
            if level > len(LEVELS):
                raise CategoryTreeError(path, where, "食品分类最多四级")
            if node.code in tree.nodes:
                raise CategoryTreeError(path, f"{where}.code", f"编码重复：{node.code}")
            for name in (node.name, *node.aliases):
                if _fold(name) in tree.names:
                    raise CategoryTreeError(path, f"{where}.name", f"名称重复：{name}")
                tree.names[_fold(name)] = node.code
            tree.nodes[node.code] = Category(node.code, node.name, level, node.residue, parent)
            kids = walk(node.children, node.code, f"{where}.children", level + 1)
            tree.nodes[node.code] = Category(
                node.code, node.name, level, node.residue, parent, kids
            )
            codes.append(node.code)
        return tuple(codes)

    walk(spec.categories, None, "categories", 1)
    return tree


@functools.lru_cache(maxsize=1)
def category_tree() -> CategoryTree:
    """The tree shipped with foodsafe (loaded once)."""
    return load_category_tree()
