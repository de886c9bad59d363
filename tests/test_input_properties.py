"""Any input gives a result or a clear error: the schedule-instance loader and the roster reader.

Hypothesis feeds arbitrary JSON (and near-valid instances with one field broken) to
``load_instance``, and arbitrary bytes and CSV text to the roster reader and row rules: the
only failure allowed is the module's own error, with a message a person can act on.
"""

from __future__ import annotations

import copy
from datetime import date

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from somet.cohorts.roster_files import read_roster
from somet.cohorts.rules.roster import RosterFileError, decide_rows
from somet.scheduling import InstanceError, load_instance
from tests.scheduling_data import contract_example

FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=12),
    lambda children: st.lists(children, max_size=4)
    | st.dictionaries(st.text(max_size=10), children, max_size=4),
    max_leaves=20,
)
PATHS = [
    ("start",),
    ("end",),
    ("working_weekdays",),
    ("departments",),
    ("departments", 0),
    ("departments", 0, "capacity"),
    ("departments", 0, "closed"),
    ("doctors",),
    ("doctors", 0),
    ("doctors", 0, "id"),
    ("doctors", 0, "blocked"),
    ("doctors", 0, "available_from"),
    ("doctors", 0, "rotations"),
    ("doctors", 0, "rotations", 0),
    ("doctors", 0, "rotations", 0, "days"),
    ("doctors", 0, "rotations", 0, "options"),
    ("doctors", 0, "rotations", 0, "required"),
    ("doctors", 0, "rotations", 1, "weight"),
    ("fixed",),
    ("fixed", 0),
    ("fixed", 0, "start"),
    ("fixed", 0, "department"),
    ("forbidden",),
    ("forbidden", 0, "doctor"),
]


def _loads_or_explains(data) -> None:
    try:
        load_instance(data)
    except InstanceError as error:
        assert str(error).split(":")[0], "the message names the field"


@FAST
@given(JSON)
def test_any_json_value_is_an_instance_or_a_named_error(data):
    _loads_or_explains(data)


@FAST
@given(st.sampled_from(PATHS), JSON)
def test_an_instance_with_one_field_broken_is_an_instance_or_a_named_error(path, value):
    data = copy.deepcopy(contract_example())
    target = data
    for step in path[:-1]:
        target = target[step]
    target[path[-1]] = value
    _loads_or_explains(data)


@FAST
@given(st.binary(max_size=400), st.sampled_from(["roster.csv", "roster.xlsx", "roster.txt"]))
def test_any_uploaded_bytes_give_rows_or_a_clear_file_error(content, filename):
    try:
        rows = read_roster(filename, content)
    except RosterFileError as error:
        assert str(error)
    else:
        decide_rows(rows, [], date(2027, 3, 7), date(2027, 3, 18))


CSV_CELL = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=15)


@FAST
@given(st.lists(st.lists(CSV_CELL, min_size=1, max_size=7), min_size=1, max_size=6))
def test_any_csv_table_under_our_header_gives_a_decision_for_every_row(table):
    header = "First name,Last name,Specialty,E-mail,Arrival,Departure,Passport number"
    lines = [header] + [
        ",".join(c.replace(",", " ").replace("\n", " ") for c in row) for row in table
    ]
    try:
        rows = read_roster("roster.csv", "\n".join(lines).encode())
    except RosterFileError as error:
        assert str(error)
        return
    decisions = decide_rows(rows, [], date(2027, 3, 7), date(2027, 3, 18))
    assert len(decisions) == len(rows)
