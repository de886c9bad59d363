"""Per-doctor patterns: the maximal sets of one doctor's rotations that fit in its days.

The linear relaxation happily places a core and half of each of two electives in nine free
days when the three together need ten. Choosing one pattern per doctor (a set of rotations
that does fit) and placing only rotations of the chosen pattern describes exactly which
combinations one doctor can do, and closes almost all of the gap between the relaxation and
the best schedule (200 doctors: 1982 → 1912 for a best schedule of 1911). Which sets fit is
decided exactly, for one doctor alone, by a small dynamic programme over subsets.
"""

from __future__ import annotations

from collections import defaultdict

from somet.scheduling.space import Task

MAX_ROTATIONS = 10  # 2^10 subsets: beyond that, no patterns for that doctor (never in practice)


def doctor_patterns(tasks, ids: list[int], width: int) -> list[list[list[int]]]:
    """For each doctor whose rotations cannot all fit: the maximal sets of them that can."""
    by_doctor: dict[int, list[int]] = defaultdict(list)
    for t in ids:
        if any(o.starts for o in tasks[t].options):
            by_doctor[tasks[t].doctor].append(t)
    result = []
    for own in by_doctor.values():
        if not 2 <= len(own) <= MAX_ROTATIONS:
            continue
        ends = _earliest_ends(tasks, own, width)
        full = (1 << len(own)) - 1
        if ends[full] <= width:
            continue  # everything fits: nothing to add
        fits = [m for m in range(1, full + 1) if ends[m] <= width]
        maximal = [m for m in fits if not any(o != m and o & m == m for o in fits)]
        result.append([[own[j] for j in range(len(own)) if m >> j & 1] for m in maximal])
    return result


def _earliest_ends(tasks, own: list[int], width: int) -> list[int]:
    """For each subset, the earliest day by which all its blocks can be done one after another.

    Placing each block at its earliest possible start after the previous one is optimal for
    a given order, and a subset done earlier never hurts what follows: so the minimum over
    the last block is exact.
    """
    nexts = [_next_start(tasks[t], width) for t in own]
    ends = [width + 1] * (1 << len(own))  # width + 1: cannot be done
    ends[0] = 0
    for mask in range(1 << len(own)):
        if ends[mask] >= width:
            continue
        for j, t in enumerate(own):
            if not mask >> j & 1:
                start = nexts[j][ends[mask]]
                if start is not None:
                    bit = mask | 1 << j
                    ends[bit] = min(ends[bit], start + tasks[t].days)
    return ends


def _next_start(task: Task, width: int) -> list[int | None]:
    """For each day, the first possible start of the task on or after it."""
    starts = {s for o in task.options for s in o.starts}
    result: list[int | None] = [None] * (width + 1)
    following = None
    for day in range(width - 1, -1, -1):
        if day in starts:
            following = day
        result[day] = following
    return result
