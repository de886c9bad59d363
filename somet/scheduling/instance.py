"""The scheduling instance: frozen dataclasses and a strict loader for `somet-schedule/1`."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cached_property
from typing import Any

FORMAT = "somet-schedule/1"
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class InstanceError(ValueError):
    """An instance that breaks the format; `field` names the offending field."""

    def __init__(self, field_path: str, message: str) -> None:
        super().__init__(f"{field_path}: {message}")
        self.field = field_path
        self.message = message


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
    options: Mapping[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class Doctor:
    id: str
    available_from: date
    available_to: date
    blocked: frozenset[date] = frozenset()
    rotations: tuple[Rotation, ...] = ()


@dataclass(frozen=True)
class Fixed:
    doctor: str
    rotation: str
    department: str
    start: date


@dataclass(frozen=True)
class Forbidden:
    doctor: str
    rotation: str
    department: str


@dataclass(frozen=True)
class Instance:
    start: date
    end: date
    working_weekdays: frozenset[int]
    departments: tuple[Department, ...] = ()
    doctors: tuple[Doctor, ...] = ()
    fixed: tuple[Fixed, ...] = ()
    forbidden: tuple[Forbidden, ...] = ()

    @cached_property
    def working_days(self) -> tuple[date, ...]:
        """The working days from start to end, in order."""
        return working_days(self.start, self.end, self.working_weekdays)

    @cached_property
    def day_index(self) -> dict[date, int]:
        """Position of each working day in `working_days`."""
        return {day: i for i, day in enumerate(self.working_days)}

    @cached_property
    def department_by_id(self) -> dict[str, Department]:
        """Departments keyed by id."""
        return {d.id: d for d in self.departments}

    @cached_property
    def doctor_by_id(self) -> dict[str, Doctor]:
        """Doctors keyed by id."""
        return {d.id: d for d in self.doctors}

    @cached_property
    def forbidden_set(self) -> frozenset[tuple[str, str, str]]:
        """Forbidden (doctor, rotation, department) triples."""
        return frozenset((f.doctor, f.rotation, f.department) for f in self.forbidden)


def working_days(start: date, end: date, weekdays: frozenset[int] | set[int]) -> tuple[date, ...]:
    """Calendar days from start to end inclusive whose weekday is a working weekday."""
    days, day = [], start
    while day <= end:
        if day.weekday() in weekdays:
            days.append(day)
        day += timedelta(days=1)
    return tuple(days)


def rotation_of(doctor: Doctor, rotation_id: str) -> Rotation | None:
    """The doctor's rotation with this id, or None."""
    return next((r for r in doctor.rotations if r.id == rotation_id), None)


# --- loading ---------------------------------------------------------------------------------

_TOP = {"format", "start", "end", "working_weekdays", "departments", "doctors", "fixed",
        "forbidden"}
_DEPARTMENT = {"id", "capacity", "closed"}
_DOCTOR = {"id", "available_from", "available_to", "blocked", "rotations"}
_ROTATION = {"id", "days", "required", "weight", "options"}
_FIXED = {"doctor", "rotation", "department", "start"}
_FORBIDDEN = {"doctor", "rotation", "department"}


def load_instance(data: Any) -> Instance:
    """Validate a `somet-schedule/1` instance dict strictly and return an Instance."""
    obj = _object(data, "instance", _TOP, {"format", "start", "end", "working_weekdays",
                                           "departments", "doctors"})
    if obj["format"] != FORMAT:
        raise InstanceError("format", f"must be '{FORMAT}'")
    start, end = _date(obj["start"], "start"), _date(obj["end"], "end")
    if end < start:
        raise InstanceError("end", f"must not be before start ({start.isoformat()})")
    weekdays = _weekdays(obj["working_weekdays"])
    departments = tuple(_department(d, f"departments[{i}]")
                        for i, d in enumerate(_list(obj["departments"], "departments")))
    _unique([d.id for d in departments], "departments")
    known = {d.id for d in departments}
    doctors = tuple(_doctor(d, f"doctors[{i}]", start, end, known)
                    for i, d in enumerate(_list(obj["doctors"], "doctors")))
    _unique([d.id for d in doctors], "doctors")
    by_id = {d.id: d for d in doctors}
    fixed = _fixed_list(obj.get("fixed", []), by_id, known)
    forbidden = tuple(_forbidden(f, f"forbidden[{i}]", by_id, known)
                      for i, f in enumerate(_list(obj.get("forbidden", []), "forbidden")))
    return Instance(start, end, weekdays, departments, doctors, fixed, forbidden)


def _object(value: Any, path: str, allowed: set[str], required: set[str]) -> dict:
    if not isinstance(value, dict):
        raise InstanceError(path, "must be an object")
    for key in value:
        if key not in allowed:
            raise InstanceError(_join(path, key), "unknown field")
    for key in sorted(required):
        if key not in value:
            raise InstanceError(_join(path, key), "is required")
    return value


def _join(path: str, key: str) -> str:
    return key if path == "instance" else f"{path}.{key}"


def _list(value: Any, path: str) -> list:
    if not isinstance(value, list):
        raise InstanceError(path, "must be a list")
    return value


def _text(value: Any, path: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise InstanceError(path, "must be a non-empty string")
    return value


def _whole(value: Any, path: str, minimum: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise InstanceError(path, f"must be a whole number >= {minimum}")
    return value


def _date(value: Any, path: str) -> date:
    if isinstance(value, str) and _ISO_DATE.match(value):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    raise InstanceError(path, f"must be a date YYYY-MM-DD, got {value!r}")


def _dates(value: Any, path: str) -> frozenset[date]:
    return frozenset(_date(v, f"{path}[{i}]") for i, v in enumerate(_list(value, path)))


def _weekdays(value: Any) -> frozenset[int]:
    items = _list(value, "working_weekdays")
    if not items:
        raise InstanceError("working_weekdays", "must list at least one weekday")
    for i, day in enumerate(items):
        if isinstance(day, bool) or not isinstance(day, int) or not 0 <= day <= 6:
            raise InstanceError(f"working_weekdays[{i}]", "must be a weekday number 0..6")
    if len(set(items)) != len(items):
        raise InstanceError("working_weekdays", "must not repeat a weekday")
    return frozenset(items)


def _unique(ids: list[str], path: str) -> None:
    seen: dict[str, int] = {}
    for i, key in enumerate(ids):
        if key in seen:
            raise InstanceError(f"{path}[{i}].id",
                                f"duplicate id '{key}' (also {path}[{seen[key]}])")
        seen[key] = i


def _department(value: Any, path: str) -> Department:
    obj = _object(value, path, _DEPARTMENT, {"id", "capacity"})
    return Department(_text(obj["id"], f"{path}.id"),
                      _whole(obj["capacity"], f"{path}.capacity", 0),
                      _dates(obj.get("closed", []), f"{path}.closed"))


def _doctor(value: Any, path: str, start: date, end: date, known: set[str]) -> Doctor:
    obj = _object(value, path, _DOCTOR, {"id"})
    doctor_id = _text(obj["id"], f"{path}.id")
    since = _date(obj["available_from"], f"{path}.available_from") if "available_from" in obj \
        else start
    until = _date(obj["available_to"], f"{path}.available_to") if "available_to" in obj else end
    if until < since:
        raise InstanceError(f"{path}.available_to",
                            f"must not be before available_from ({since.isoformat()})")
    rotations = tuple(_rotation(r, f"{path}.rotations[{i}]", known)
                      for i, r in enumerate(_list(obj.get("rotations", []), f"{path}.rotations")))
    _unique([r.id for r in rotations], f"{path}.rotations")
    return Doctor(doctor_id, since, until, _dates(obj.get("blocked", []), f"{path}.blocked"),
                  rotations)


def _rotation(value: Any, path: str, known: set[str]) -> Rotation:
    obj = _object(value, path, _ROTATION, {"id", "days", "options"})
    required = obj.get("required", False)
    if not isinstance(required, bool):
        raise InstanceError(f"{path}.required", "must be true or false")
    options = obj["options"]
    if not isinstance(options, dict):
        raise InstanceError(f"{path}.options", "must be an object of department id to points")
    for dept, points in options.items():
        if dept not in known:
            raise InstanceError(f"{path}.options.{dept}", f"unknown department '{dept}'")
        _whole(points, f"{path}.options.{dept}", 0)
    return Rotation(_text(obj["id"], f"{path}.id"), _whole(obj["days"], f"{path}.days", 1),
                    required, _whole(obj.get("weight", 0), f"{path}.weight", 0), dict(options))


def _reference(obj: dict, path: str, doctors: dict[str, Doctor], known: set[str]) -> None:
    doctor_id = _text(obj["doctor"], f"{path}.doctor")
    if doctor_id not in doctors:
        raise InstanceError(f"{path}.doctor", f"unknown doctor '{doctor_id}'")
    rotation_id = _text(obj["rotation"], f"{path}.rotation")
    if rotation_of(doctors[doctor_id], rotation_id) is None:
        raise InstanceError(f"{path}.rotation",
                            f"doctor '{doctor_id}' has no rotation '{rotation_id}'")
    department = _text(obj["department"], f"{path}.department")
    if department not in known:
        raise InstanceError(f"{path}.department", f"unknown department '{department}'")


def _fixed_list(value: Any, doctors: dict[str, Doctor], known: set[str]) -> tuple[Fixed, ...]:
    result, seen = [], {}
    for i, item in enumerate(_list(value, "fixed")):
        path = f"fixed[{i}]"
        obj = _object(item, path, _FIXED, _FIXED)
        _reference(obj, path, doctors, known)
        key = (obj["doctor"], obj["rotation"])
        if key in seen:
            raise InstanceError(path, f"rotation '{key[1]}' of doctor '{key[0]}' is already "
                                      f"fixed by fixed[{seen[key]}]")
        seen[key] = i
        result.append(Fixed(obj["doctor"], obj["rotation"], obj["department"],
                            _date(obj["start"], f"{path}.start")))
    return tuple(result)


def _forbidden(value: Any, path: str, doctors: dict[str, Doctor], known: set[str]) -> Forbidden:
    obj = _object(value, path, _FORBIDDEN, _FORBIDDEN)
    _reference(obj, path, doctors, known)
    return Forbidden(obj["doctor"], obj["rotation"], obj["department"])
