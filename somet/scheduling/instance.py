"""A `somet-schedule/1` instance: frozen dataclasses and a loader that names the wrong field.

The loader is the only place that reads raw JSON-like data; everything after it works on
these dataclasses, so the solver, the checker and the explanations agree on one meaning.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from typing import Any

from somet.core.problems import Problem
from somet.scheduling.wording import english

FORMAT = "somet-schedule/1"


class InstanceError(ValueError):
    """The instance breaks the format: ``problem`` names the wrong field (``path``) and why.

    ``str(error)`` is the contract's English (``path: problem``), for the command line.
    """

    def __init__(self, path: str, code: str, **params: Any):
        self.path = path
        self.problem = Problem(code, {"path": path, **params})
        super().__init__(f"{path}: {english(self.problem)}")


@dataclass(frozen=True)
class Department:
    id: str
    capacity: int
    closed: frozenset[date] = frozenset()


@dataclass(frozen=True)
class Rotation:
    id: str
    days: int
    required: bool = False
    weight: int = 0
    options: tuple[tuple[str, int], ...] = ()  # (department id, preference points), in order

    def points(self, department: str) -> int | None:
        return dict(self.options).get(department)


@dataclass(frozen=True)
class Doctor:
    id: str
    available_from: date
    available_to: date
    blocked: frozenset[date] = frozenset()
    rotations: tuple[Rotation, ...] = ()

    def rotation(self, rotation_id: str) -> Rotation | None:
        return next((r for r in self.rotations if r.id == rotation_id), None)


@dataclass(frozen=True)
class Fixed:
    doctor: str
    rotation: str
    department: str
    start: date


@dataclass(frozen=True)
class Instance:
    start: date
    end: date
    working_weekdays: frozenset[int]
    departments: tuple[Department, ...] = ()
    doctors: tuple[Doctor, ...] = ()
    fixed: tuple[Fixed, ...] = ()
    forbidden: frozenset[tuple[str, str, str]] = field(default_factory=frozenset)

    @cached_property
    def working_days(self) -> tuple[date, ...]:
        """The calendar days from start to end whose weekday is a working weekday, in order."""
        count = (self.end - self.start).days + 1
        days = (date.fromordinal(self.start.toordinal() + i) for i in range(count))
        return tuple(d for d in days if d.weekday() in self.working_weekdays)

    @cached_property
    def day_index(self) -> dict[date, int]:
        return {d: i for i, d in enumerate(self.working_days)}

    @cached_property
    def department_by_id(self) -> dict[str, Department]:
        return {d.id: d for d in self.departments}

    @cached_property
    def doctor_by_id(self) -> dict[str, Doctor]:
        return {d.id: d for d in self.doctors}


def load_instance(data: Any) -> Instance:
    """Validate ``data`` (parsed JSON) and build an Instance; raise InstanceError on a fault."""
    if not isinstance(data, dict):
        raise InstanceError("instance", "instance.not_object")
    if data.get("format") != FORMAT:
        raise InstanceError("format", "instance.bad_format", format=FORMAT)
    start = _date(data, "start", "start")
    end = _date(data, "end", "end")
    if end < start:
        raise InstanceError("end", "instance.end_before_start")
    weekdays = _list(data, "working_weekdays", "working_weekdays", required=True)
    for i, value in enumerate(weekdays):
        _whole(value, f"working_weekdays[{i}]", 0, maximum=6)
    departments = _departments(_list(data, "departments", "departments"))
    known = {d.id for d in departments}
    doctors = _doctors(_list(data, "doctors", "doctors"), start, end, known)
    by_id = {d.id: d for d in doctors}
    fixed = _fixed(_list(data, "fixed", "fixed"), by_id, known)
    forbidden = _forbidden(_list(data, "forbidden", "forbidden"), by_id, known)
    return Instance(start, end, frozenset(weekdays), departments, doctors, fixed, forbidden)


def _departments(items: list) -> tuple[Department, ...]:
    result, seen = [], set()
    for i, item in enumerate(items):
        path = f"departments[{i}]"
        _object(item, path)
        dept_id = _id(item, path, seen)
        capacity = _whole(item.get("capacity"), f"{path}.capacity", 0)
        closed = _dates(_list(item, "closed", f"{path}.closed"), f"{path}.closed")
        result.append(Department(dept_id, capacity, closed))
    return tuple(result)


def _doctors(items: list, start: date, end: date, known: set[str]) -> tuple[Doctor, ...]:
    result, seen = [], set()
    for i, item in enumerate(items):
        path = f"doctors[{i}]"
        _object(item, path)
        doctor_id = _id(item, path, seen)
        first = _date(item, "available_from", f"{path}.available_from", default=start)
        last = _date(item, "available_to", f"{path}.available_to", default=end)
        if last < first:
            raise InstanceError(f"{path}.available_to", "instance.to_before_from")
        blocked = _dates(_list(item, "blocked", f"{path}.blocked"), f"{path}.blocked")
        rotations = _rotations(_list(item, "rotations", f"{path}.rotations"), path, known)
        result.append(Doctor(doctor_id, first, last, blocked, rotations))
    return tuple(result)


def _rotations(items: list, parent: str, known: set[str]) -> tuple[Rotation, ...]:
    result, seen = [], set()
    for j, item in enumerate(items):
        path = f"{parent}.rotations[{j}]"
        _object(item, path)
        rotation_id = _id(item, path, seen)
        days = _whole(item.get("days"), f"{path}.days", 1)
        required = item.get("required", False)
        if not isinstance(required, bool):
            raise InstanceError(f"{path}.required", "instance.not_bool")
        weight = _whole(item.get("weight", 0), f"{path}.weight", 0)
        options = item.get("options")
        if not isinstance(options, dict):
            raise InstanceError(f"{path}.options", "instance.bad_options")
        for dept_id, points in options.items():
            if dept_id not in known:
                raise InstanceError(f"{path}.options.{dept_id}", "instance.unknown_department")
            _whole(points, f"{path}.options.{dept_id}", 0)
        result.append(Rotation(rotation_id, days, required, weight, tuple(options.items())))
    return tuple(result)


def _fixed(items: list, doctors: dict[str, Doctor], known: set[str]) -> tuple[Fixed, ...]:
    result, seen = [], {}
    for i, item in enumerate(items):
        path = f"fixed[{i}]"
        doctor_id, rotation_id, dept_id = _triple(item, path, doctors, known)
        if (doctor_id, rotation_id) in seen:
            raise InstanceError(path, "instance.already_fixed", doctor=doctor_id,
                                rotation=rotation_id, other=seen[doctor_id, rotation_id])
        seen[doctor_id, rotation_id] = i
        result.append(Fixed(doctor_id, rotation_id, dept_id, _date(item, "start", f"{path}.start")))
    return tuple(result)


def _forbidden(items: list, doctors: dict[str, Doctor], known: set[str]) -> frozenset:
    return frozenset(
        _triple(item, f"forbidden[{i}]", doctors, known) for i, item in enumerate(items)
    )


def _triple(item: Any, path: str, doctors: dict[str, Doctor], known: set[str]):
    _object(item, path)
    doctor_id, rotation_id, dept_id = (item.get(k) for k in ("doctor", "rotation", "department"))
    if not isinstance(doctor_id, str) or doctor_id not in doctors:
        raise InstanceError(f"{path}.doctor", "instance.unknown_doctor")
    if not isinstance(rotation_id, str) or doctors[doctor_id].rotation(rotation_id) is None:
        raise InstanceError(f"{path}.rotation", "instance.unknown_rotation", doctor=doctor_id)
    if not isinstance(dept_id, str) or dept_id not in known:
        raise InstanceError(f"{path}.department", "instance.unknown_department")
    return doctor_id, rotation_id, dept_id


def _object(item: Any, path: str) -> None:
    if not isinstance(item, dict):
        raise InstanceError(path, "instance.not_an_object")


def _id(item: dict, path: str, seen: set[str]) -> str:
    value = item.get("id")
    if not isinstance(value, str) or not value.strip():
        raise InstanceError(f"{path}.id", "instance.empty_id")
    if value in seen:
        raise InstanceError(f"{path}.id", "instance.id_twice", value=value)
    seen.add(value)
    return value


def _whole(value: Any, path: str, minimum: int, maximum: int | None = None) -> int:
    # bool is an int in Python, but `true` is not a number in the format
    too_big = maximum is not None and isinstance(value, int) and value > maximum
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum or too_big:
        raise InstanceError(path, "instance.not_whole", minimum=minimum, maximum=maximum)
    return value


def _list(item: dict, key: str, path: str, required: bool = False) -> list:
    if key not in item and not required:
        return []
    value = item.get(key)
    if not isinstance(value, list):
        raise InstanceError(path, "instance.not_list")
    return value


def _date(item: dict, key: str, path: str, default: date | None = None) -> date:
    if key not in item and default is not None:
        return default
    return _parse_date(item.get(key), path)


def _dates(values: list, path: str) -> frozenset[date]:
    return frozenset(_parse_date(v, f"{path}[{i}]") for i, v in enumerate(values))


def _parse_date(value: Any, path: str) -> date:
    if isinstance(value, str) and len(value) == 10:
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    raise InstanceError(path, "instance.not_date")
