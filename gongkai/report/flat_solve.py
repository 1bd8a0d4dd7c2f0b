"""Decide how flattened runs split, from the national format's own arithmetic.

Each row of table 三 has the cuts of its run (:mod:`.flat_split`). The identities of the
format (reference §7.1) are constraints over the whole table: T3-ROWSUM inside each row,
T3-RESULTS and T3-BAL down each column, T4-SUM inside table 四's run. A cut is **kept** when
some assignment of cuts to all rows satisfies every identity in use; a figure is known when
every kept cut of its row agrees on it, otherwise it stays ``None`` (a figure is never guessed).

A report whose printed arithmetic is wrong has no assignment that satisfies everything. An
identity that no cut at all can satisfy is then the report's own error: it is set aside (and
named in ``relaxed``), so the figures come out as printed and the check fails, as it does for
the same report in any other format. Where the identities conflict only in combination, the
column identities are all set aside, which keeps fewer figures but never a made-up one.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from .flat_split import Split

MAX_STATES = 200_000  # partial column sums kept per row in the joint search


@dataclass
class Relaxed:
    """An identity the solver did not use, and why."""

    id: str
    scope: str
    reason: str


@dataclass
class Solved:
    kept: dict[str, list[Split]]
    used: list[str] = field(default_factory=list)
    relaxed: list[Relaxed] = field(default_factory=list)


def _rowsum(split: Split) -> bool:
    if any(v is None for v in split):
        return True
    return sum(split[:-1]) == split[-1]  # type: ignore[arg-type]


def filter_rowsum(key: str, cuts: list[Split], relaxed: list[Relaxed]) -> list[Split]:
    """T3-ROWSUM on one row: the cuts whose 总计 is the sum of the six applicant columns."""
    good = [c for c in cuts if _rowsum(c)]
    if cuts and not good:
        relaxed.append(
            Relaxed("T3-ROWSUM", key, "no cut of the run adds up: the printed row total is not the sum of its cells")
        )
        return cuts
    return good


def _values(cuts: list[Split], col: int) -> set:
    return {c[col] for c in cuts}


def _sums(rows: Sequence[list[Split]], col: int, cap: int | None) -> set:
    """Every sum one column can take over ``rows`` (one cut per row)."""
    sums = {0}
    for cuts in rows:
        sums = {s + v for s in sums for v in _values(cuts, col) if cap is None or s + v <= cap}
    return sums


def solve_requests(
    cuts: dict[str, list[Split]],
    outcomes: list[str],
    new: str,
    carried: str,
    total: str,
    forward: str,
    columns: list[str],
) -> Solved:
    """Keep the cuts of table 三's rows that some assignment satisfying T3-RESULTS and T3-BAL
    (per column) allows; ``cuts`` are already filtered by T3-ROWSUM."""
    solved = Solved(kept={k: list(v) for k, v in cuts.items()})
    involved = [new, carried, total, forward, *outcomes]
    if any(not cuts.get(k) for k in involved):
        solved.relaxed.append(Relaxed("T3-RESULTS/T3-BAL", "*", "a row of table 三 has no figures to check against"))
        return solved
    ncol = len(columns)
    usable = [c for c in range(ncol) if all(None not in _values(cuts[k], c) for k in involved)]
    res_cols: list[int] = []
    bal_cols: list[int] = []
    for c in usable:
        cap = max(_values(cuts[total], c))
        if _sums([cuts[k] for k in outcomes], c, cap) & _values(cuts[total], c):
            res_cols.append(c)
        else:
            solved.relaxed.append(
                Relaxed(
                    "T3-RESULTS",
                    columns[c],
                    "fails for every cut: the report's outcome rows do not add up to （七）总计",
                )
            )
        left = {a + b for a in _values(cuts[new], c) for b in _values(cuts[carried], c)}
        right = {a + b for a in _values(cuts[total], c) for b in _values(cuts[forward], c)}
        if left & right:
            bal_cols.append(c)
        else:
            solved.relaxed.append(
                Relaxed("T3-BAL", columns[c], "fails for every cut: 一 + 二 is not （七）总计 + 四 in this report")
            )
    kept = _joint(cuts, outcomes, new, carried, total, forward, res_cols, bal_cols)
    if kept is None:
        solved.relaxed.append(
            Relaxed("T3-RESULTS/T3-BAL", "*", "no cut satisfies the column identities together: none of them is used")
        )
        return solved
    solved.kept.update(kept)
    solved.used = ["T3-ROWSUM", *(["T3-RESULTS"] if res_cols else []), *(["T3-BAL"] if bal_cols else [])]
    return solved


def _joint(
    cuts: dict[str, list[Split]],
    outcomes: list[str],
    new: str,
    carried: str,
    total: str,
    forward: str,
    res_cols: list[int],
    bal_cols: list[int],
) -> dict[str, list[Split]] | None:
    """The supported cuts of every involved row, or None where no assignment exists (or the
    search is too large to finish, which keeps every cut: fewer figures, none wrong)."""
    combos = [
        (n, k, t, f)
        for n in cuts[new]
        for k in cuts[carried]
        for t in cuts[total]
        for f in cuts[forward]
        if all(n[c] + k[c] == t[c] + f[c] for c in bal_cols)
    ]
    if not combos:
        return None
    support: dict[str, set[Split]] = {key: set() for key in (new, carried, total, forward, *outcomes)}
    for target in {combo[2] for combo in combos}:
        rows_ok = _outcome_support([cuts[k] for k in outcomes], target, res_cols)
        if rows_ok is None:
            continue
        for key, ok in zip(outcomes, rows_ok, strict=True):
            support[key] |= ok
        for n, k, t, f in combos:
            if t == target:
                support[new].add(n)
                support[carried].add(k)
                support[total].add(t)
                support[forward].add(f)
    if not support[total]:
        return None
    return {key: [c for c in cuts[key] if c in support[key]] for key in support}


def _outcome_support(rows: list[list[Split]], target: Split, cols: list[int]) -> list[set[Split]] | None:
    """Per outcome row, the cuts that lie on some assignment whose column sums hit ``target``."""
    if not cols:
        return [set(cuts) for cuts in rows]
    goal = tuple(target[c] for c in cols)
    layers: list[set[tuple]] = [{tuple(0 for _ in cols)}]
    for cuts in rows:
        nxt = set()
        for state in layers[-1]:
            for cut in cuts:
                new = tuple(s + cut[c] for s, c in zip(state, cols, strict=True))
                if all(v <= g for v, g in zip(new, goal, strict=True)):
                    nxt.add(new)
        if len(nxt) > MAX_STATES:
            return [set(cuts) for cuts in rows]
        layers.append(nxt)
    if goal not in layers[-1]:
        return None
    alive = {goal}
    out: list[set[Split]] = [set() for _ in rows]
    for i in range(len(rows) - 1, -1, -1):
        before = set()
        for state in layers[i]:
            for cut in rows[i]:
                if tuple(s + cut[c] for s, c in zip(state, cols, strict=True)) in alive:
                    out[i].add(cut)
                    before.add(state)
        alive = before
    return out


def solve_groups(
    cuts: list[Split], groups: Iterable[tuple[str, int, int]], rule: str
) -> tuple[list[Split], list[Relaxed], list[str]]:
    """Table 四: inside one run, ``total = the four before it`` for each group (name, first
    column, width). An identity no cut satisfies is the report's own and set aside."""
    relaxed: list[Relaxed] = []
    rules = []
    for name, first, width in groups:

        def holds(cut: Split, first: int = first, width: int = width) -> bool:
            part = cut[first : first + width]
            return any(v is None for v in part) or sum(part[:-1]) == part[-1]  # type: ignore[arg-type]

        if any(holds(c) for c in cuts):
            rules.append(holds)
        else:
            relaxed.append(Relaxed(rule, name, "fails for every cut: the group's 总计 is not the sum of its results"))
    good = [c for c in cuts if all(rule_ok(c) for rule_ok in rules)]
    if cuts and not good:
        relaxed.append(Relaxed(rule, "*", "no cut satisfies the groups' identities together: none of them is used"))
        return cuts, relaxed, []
    return good, relaxed, [rule] if rules else []
