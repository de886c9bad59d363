"""Instances for the scheduling tests: the contract's example and a small builder."""

from __future__ import annotations

import copy

CONTRACT_EXAMPLE = {
    "format": "somet-schedule/1",
    "start": "2026-03-01",
    "end": "2026-03-12",
    "working_weekdays": [6, 0, 1, 2, 3],
    "departments": [
        {"id": "rambam-neurosurgery", "capacity": 2, "closed": ["2026-03-05"]},
        {"id": "rambam-anesthesiology", "capacity": 3},
    ],
    "doctors": [
        {
            "id": "kz-001",
            "available_from": "2026-03-01",
            "available_to": "2026-03-12",
            "blocked": ["2026-03-04"],
            "rotations": [
                {"id": "core", "required": True, "days": 4,
                 "options": {"rambam-neurosurgery": 3, "rambam-anesthesiology": 0}},
                {"id": "elective", "required": False, "days": 2, "weight": 10,
                 "options": {"rambam-anesthesiology": 2}},
            ],
        }
    ],
    "fixed": [
        {"doctor": "kz-001", "rotation": "core", "department": "rambam-neurosurgery",
         "start": "2026-03-08"}
    ],
    "forbidden": [
        {"doctor": "kz-001", "rotation": "elective", "department": "rambam-anesthesiology"}
    ],
}

CONTRACT_RESULT = {
    "format": "somet-schedule/1",
    "status": "OPTIMAL",
    "score": 3,
    "bound": 3,
    "placements": [
        {"doctor": "kz-001", "rotation": "core", "department": "rambam-neurosurgery",
         "start": "2026-03-08", "end": "2026-03-11"}
    ],
    "unplaced": [
        {"doctor": "kz-001", "rotation": "elective",
         "reason": "its only department is forbidden (declined by the host)"}
    ],
    "conflicts": [],
}


def contract_example() -> dict:
    return copy.deepcopy(CONTRACT_EXAMPLE)


def cohort(doctors: int, capacity: int = 2, days: int = 4, closed=("2026-03-05",)) -> dict:
    """``doctors`` doctors who all need the one neurosurgery department for ``days`` days."""
    return {
        "format": "somet-schedule/1",
        "start": "2026-03-01",
        "end": "2026-03-12",
        "working_weekdays": [6, 0, 1, 2, 3],
        "departments": [
            {"id": "rambam-neurosurgery", "capacity": capacity, "closed": list(closed)},
            {"id": "rambam-anesthesiology", "capacity": 3},
        ],
        "doctors": [
            {"id": f"kz-{n:03}", "rotations": [
                {"id": "core", "required": True, "days": days,
                 "options": {"rambam-neurosurgery": 1}},
                {"id": "elective", "days": 2, "weight": 1,
                 "options": {"rambam-anesthesiology": 1}},
            ]}
            for n in range(1, doctors + 1)
        ],
    }
