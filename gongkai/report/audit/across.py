"""Rules across the reports of one organ (same ``organ_key``, consecutive years), given together:
the carry-over (A-CARRY, the X-CARRY check) and a section 五 copied from the year before (A-COPY)."""

from __future__ import annotations

import re
from typing import Any

from ...canonical.model import Document
from ..organs import resolve_organ_keys
from .findings import finding

COPY_THRESHOLD = 0.9
_SPACE = re.compile(r"\s+")
_DIGIT = re.compile(r"\d")


def copy_text(text: str) -> str:
    """Section 五 as compared: white space removed, every digit read as 0."""
    return _DIGIT.sub("0", _SPACE.sub("", text))


def similarity_at_least(a: str, b: str, threshold: float) -> float | None:
    """1 − Levenshtein distance / longer length where that is at least ``threshold``, else None.

    Only distances up to ``(1 − threshold) × longer length`` matter, so the dynamic programme
    keeps a band of that width around the diagonal (Ukkonen): exact inside the band, and a pair
    of 2,000-character sections costs 2,000 × 400 steps, not 2,000²."""
    longer = max(len(a), len(b))
    if longer == 0:
        return 1.0
    limit = int((1 - threshold) * longer + 1e-9)
    if abs(len(a) - len(b)) > limit:
        return None
    big = limit + 1
    previous = {j: j for j in range(0, min(len(b), limit) + 1)}
    for i in range(1, len(a) + 1):
        current: dict[int, int] = {}
        lo, hi = max(0, i - limit), min(len(b), i + limit)
        for j in range(lo, hi + 1):
            if j == 0:
                current[j] = i
                continue
            cost = previous.get(j - 1, big) + (a[i - 1] != b[j - 1])
            cost = min(cost, previous.get(j, big) + 1, current.get(j - 1, big) + 1)
            current[j] = min(cost, big)
        if min(current.values()) > limit:
            return None
        previous = current
    distance = previous.get(len(b), big)
    if distance > limit:
        return None
    return 1 - distance / longer


def pairs(docs: list[Document]) -> list[tuple[int, int]]:
    """(earlier, later) indices of reports of one organ in consecutive years."""
    keys = resolve_organ_keys([d.meta for d in docs])
    out = []
    for j, later in enumerate(docs):
        for i, earlier in enumerate(docs):
            if (
                i != j
                and keys[i] is not None
                and keys[i] == keys[j]
                and earlier.meta.year is not None
                and later.meta.year is not None
                and later.meta.year - earlier.meta.year == 1
            ):
                out.append((i, j))
    return sorted(out, key=lambda p: (p[1], p[0]))


def carry(earlier: Document, later: Document, source: str) -> list[dict[str, Any]]:
    """A-CARRY: one finding per pair, the differing columns of table 三 listed."""
    from ..compare import carry_checks  # only for a pair of consecutive years

    checks = carry_checks(earlier, later)
    failing = [c for c in checks if c["status"] == "fail"]
    if not failing:
        return []
    total = next((c for c in failing if c["scope"] == "total"), failing[0])
    return [
        finding(
            "A-CARRY",
            f"{later.meta.year}年“上年结转”与{earlier.meta.year}年报告（{source}）“结转下年度继续办理”不一致："
            + "；".join(f"{c['scope']} 应为{c['expected']}，实为{c['found']}" for c in failing),
            figures=[f"requests.carried_over.{c['scope']}" for c in failing],
            printed=total["found"],
            stated=total["expected"],
            previous=source,
        )
    ]


def copied(a: str | None, b: str | None, source: str, year: int | None) -> list[dict[str, Any]]:
    """A-COPY: section 五 of the later report (``b``) nearly the same as the earlier one's (``a``)."""
    if not a or not b:
        return []
    score = similarity_at_least(copy_text(a), copy_text(b), COPY_THRESHOLD)
    if score is None:
        return []
    return [
        finding(
            "A-COPY",
            f"第五部分“存在的主要问题及改进情况”与{year}年报告（{source}）几乎相同（相似度{score:.3f}）",
            scope="problems_improvements",
            printed=round(score, 3),
            stated=COPY_THRESHOLD,
            quote=b[:80],
            previous=source,
        )
    ]
