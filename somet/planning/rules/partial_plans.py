"""Planning as much as possible when not every required rotation fits. PURE.

A cohort whose required rotations cannot all be placed (the demo's intensive care unit, say,
has exactly as many places as needed but not in a usable pattern) should still get a plan
that places as many as it can, plus the list of what is missing. So the instance handed to
the solver makes required rotations optional with a weight ``BIG`` larger than every other
point together: the solver then places a required rotation whenever it can, and the best
relaxed schedule that places all of them is the best strict one. Reading the result back
removes ``BIG`` from the score; a schedule missing required rotations gets status PARTIAL.
"""

from __future__ import annotations

import copy

PARTIAL = "PARTIAL"


def relax_required(document: dict) -> tuple[dict, int, set[tuple[str, str]]]:
    """The document with required rotations made optional; BIG; which ones were required."""
    relaxed = copy.deepcopy(document)
    rotations = [(d["id"], r) for d in relaxed["doctors"] for r in d["rotations"]]
    big = 1 + sum(r.get("weight", 0) + max(r["options"].values(), default=0) for _, r in rotations)
    fixed = {(f["doctor"], f["rotation"]) for f in relaxed.get("fixed", [])}
    required = set()
    for doctor_id, rotation in rotations:
        if rotation.get("required") and (doctor_id, rotation["id"]) not in fixed:
            rotation["required"] = False
            rotation["weight"] = rotation.get("weight", 0) + big
            required.add((doctor_id, rotation["id"]))
    return relaxed, big, required


def restore_required(result: dict, big: int, required: set[tuple[str, str]]) -> dict:
    """The relaxed result in the strict contract's terms (score, bound, PARTIAL)."""
    result = dict(result)
    if result["status"] not in ("OPTIMAL", "FEASIBLE"):
        return result
    placed = {(p["doctor"], p["rotation"]) for p in result["placements"]} & required
    missing = required - placed
    result["score"] = result["score"] - big * len(placed)
    if missing:
        result["status"], result["bound"] = PARTIAL, None
    elif result.get("bound") is not None:
        result["bound"] = result["bound"] - big * len(required)
    result["unplaced"] = [
        {**u, "required": (u["doctor"], u["rotation"]) in missing} for u in result["unplaced"]
    ]
    return result


def shown_status(summary: dict) -> str:
    """The status a plan's outcome is shown with: PARTIAL ("incomplete") whenever a required
    rotation is unplaced, even when the solver proved the rest of the plan the best possible
    (a rotation with no usable days never reaches the solver)."""
    status = summary.get("status", "")
    missing = any(u.get("required") for u in summary.get("unplaced", ()))
    if missing and status in ("OPTIMAL", "FEASIBLE"):
        return PARTIAL
    return status
