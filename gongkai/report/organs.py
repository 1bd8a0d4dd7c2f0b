"""``meta.organ_key``: one identity for one public body, across years and ways of writing its name.

Reports of one body name it differently from year to year: 洪泽区人民政府 (2023) and
淮安市洪泽区人民政府 (2024) are one district government. Comparison and export group by this key.

One document can only normalise its own name (:func:`organ_key`):

* white space is removed (``洪泽区 人民政府``);
* 人民政府 is read as 政府 (``洪泽区人民政府`` and ``洪泽区政府`` are one key, ``洪泽区政府``);
* full-width and half-width brackets are one.

Nothing else is changed: 洪泽区政府办公室 is another body than 洪泽区政府, and abbreviations
(发改局 for 发展和改革局) are not expanded.

Across a set of documents (:func:`resolve_organ_keys`), a parent-region prefix is resolved: a key
that is another key with region names before it (``淮安市`` + ``洪泽区政府``, ``江苏省淮安市`` +
``洪泽区政府``) is the same body, and both get the longest form (``淮安市洪泽区政府``). The rule
is strict where names are ambiguous: a bare key is merged only when every longer form of it seen
lies on one chain (淮安市洪泽区政府 and 江苏省淮安市洪泽区政府 do); where two different parents
are seen (南京市鼓楼区政府 and 福州市鼓楼区政府) the bare 鼓楼区政府 keeps its own key and the two
prefixed forms stay two bodies. The limit: a set holding only one city's prefixed form cannot tell
that a bare name belongs to another city's district of the same name; those two are merged.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from ..canonical.model import Meta

_SPACE = re.compile(r"\s+")
_BRACKETS = str.maketrans({"(": "（", ")": "）", "[": "【", "]": "】"})
# one region name ending in its level; a parent prefix is one or more of them
_REGION = r"[\u4e00-\u9fff]{1,10}?(?:省|自治区|特别行政区|自治州|地区|州|盟|市|县|区|旗)"
_PREFIX = re.compile(rf"^(?:{_REGION})+$")
# a key that can take a prefix begins with a place name: 洪泽区…, 高良涧街道…, 沭阳县…
_PLACE_START = re.compile(rf"^{_REGION}|^[\u4e00-\u9fff]{{1,10}}?(?:镇|乡|街道|苏木)")


def organ_key(organ: str | None) -> str | None:
    """The normalised identity of one organ name (``None`` for no name)."""
    if not organ:
        return None
    key = _SPACE.sub("", organ).translate(_BRACKETS).replace("人民政府", "政府")
    return key or None


def _parents(key: str, keys: set[str]) -> set[str]:
    """The other keys that are ``key`` with a parent-region prefix before it."""
    if not _PLACE_START.match(key):
        return set()
    return {other for other in keys if other != key and other.endswith(key) and _PREFIX.match(other[: -len(key)])}


def resolve_organ_keys(metas: Sequence[Meta]) -> list[str | None]:
    """The key of each meta, parent-region prefixes resolved against the names of all of them
    (see the module's rule); ``meta.organ_key`` is used where set, else computed from the organ."""
    own = [meta.organ_key or organ_key(meta.organ) for meta in metas]
    keys = {k for k in own if k}
    resolved: dict[str, str] = {}
    for key in keys:
        parents = _parents(key, keys)
        if not parents:
            continue
        longest = max(parents, key=len)
        if all(longest.endswith(p) for p in parents):  # one chain: 淮安市… within 江苏省淮安市…
            resolved[key] = longest
    return [resolved.get(k, k) if k else None for k in own]


def group_key(meta: Meta) -> str | None:
    """The key one document groups under on its own (``organ_key``, else the organ's own key)."""
    return meta.organ_key or organ_key(meta.organ)
