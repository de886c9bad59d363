"""Loading a `somet-schedule/1` instance: defaults, and errors that name the wrong field."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from somet.scheduling import InstanceError, load_instance
from tests.scheduling_data import contract_example

ROOT = Path(__file__).resolve().parent.parent


def test_the_contracts_example_loads_with_its_defaults():
    instance = load_instance(contract_example())
    doctor = instance.doctors[0]
    assert [d.isoformat() for d in instance.working_days[:5]] == [
        "2026-03-01", "2026-03-02", "2026-03-03", "2026-03-04", "2026-03-05"
    ]
    assert instance.working_days[5] == date(2026, 3, 8)  # the weekend is skipped
    assert doctor.blocked == {date(2026, 3, 4)}
    assert doctor.rotations[1].required is False and doctor.rotations[0].weight == 0
    assert instance.departments[1].closed == frozenset()


def test_availability_defaults_to_the_period():
    data = contract_example()
    del data["doctors"][0]["available_from"], data["doctors"][0]["available_to"]
    del data["fixed"], data["forbidden"]
    instance = load_instance(data)
    assert instance.doctors[0].available_from == date(2026, 3, 1)
    assert instance.doctors[0].available_to == date(2026, 3, 12)
    assert instance.fixed == () and instance.forbidden == frozenset()


def _break(path: list, value):
    data = contract_example()
    target = data
    for key in path[:-1]:
        target = target[key]
    if value is KeyError:
        del target[path[-1]]
    else:
        target[path[-1]] = value
    return data


@pytest.mark.parametrize(
    ("path", "value", "message"),
    [
        (["format"], "somet-schedule/2", 'format: must be "somet-schedule/1"'),
        (["start"], "1 March", "start: must be a date written YYYY-MM-DD"),
        (["end"], "2026-02-01", "end: must not be before start"),
        (["working_weekdays"], KeyError, "working_weekdays: must be a list"),
        (["working_weekdays", 1], 7, "working_weekdays[1]: must be a whole number ≥ 0 and ≤ 6"),
        (["departments", 0, "capacity"], -1, "departments[0].capacity: must be a whole number"),
        (["departments", 1, "id"], "rambam-neurosurgery", 'departments[1].id: "rambam-neuro'),
        (["departments", 0, "closed", 0], "2026-02-30", "departments[0].closed[0]: must be a"),
        (["doctors", 0, "id"], "", "doctors[0].id: must be a non-empty string"),
        (["doctors", 0, "available_to"], "2026-02-27",
         "doctors[0].available_to: must not be before available_from"),
        (["doctors", 0, "rotations", 0, "days"], 2.5,
         "doctors[0].rotations[0].days: must be a whole number ≥ 1"),
        (["doctors", 0, "rotations", 0, "required"], "yes",
         "doctors[0].rotations[0].required: must be true or false"),
        (["doctors", 0, "rotations", 1, "weight"], True,
         "doctors[0].rotations[1].weight: must be a whole number ≥ 0"),
        (["doctors", 0, "rotations", 1, "options"], ["rambam-anesthesiology"],
         "doctors[0].rotations[1].options: must be an object"),
        (["doctors", 0, "rotations", 1, "options", "hadassah-icu"], 1,
         "doctors[0].rotations[1].options.hadassah-icu: is not a known department"),
        (["doctors", 0, "rotations", 1, "id"], "core", 'doctors[0].rotations[1].id: "core"'),
        (["fixed", 0, "doctor"], "kz-999", "fixed[0].doctor: is not a known doctor"),
        (["fixed", 0, "start"], None, "fixed[0].start: must be a date"),
        (["forbidden", 0, "rotation"], "surgery", "forbidden[0].rotation: is not a rotation"),
    ],
)
def test_a_malformed_instance_is_refused_naming_the_field(path, value, message):
    with pytest.raises(InstanceError) as caught:
        load_instance(_break(path, value))
    assert str(caught.value).startswith(message)


def test_a_rotation_fixed_twice_is_refused():
    data = contract_example()
    data["fixed"].append(dict(data["fixed"][0], start="2026-03-01"))
    with pytest.raises(InstanceError, match=r"^fixed\[1\]: kz-001's core is already fixed"):
        load_instance(data)
