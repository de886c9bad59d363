"""`flask schedule solve`: the contract's example, exit codes, and no database needed."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from somet.planning.cli import schedule_cli
from tests.scheduling_data import CONTRACT_RESULT, cohort, contract_example

ROOT = Path(__file__).resolve().parent.parent


def run_solve(tmp_path: Path, data, *args: str):
    path = tmp_path / "instance.json"
    path.write_text(data if isinstance(data, str) else json.dumps(data), encoding="utf-8")
    return CliRunner().invoke(schedule_cli, ["solve", str(path), *args])


def test_the_contracts_example_gives_the_contracts_result_without_any_database(tmp_path):
    path = tmp_path / "example.json"
    path.write_text(json.dumps(contract_example()), encoding="utf-8")
    # a database URL that cannot be opened: the command must not try
    env = dict(os.environ, SOMET_DATABASE_URL="sqlite:////nonexistent/dir/somet.sqlite3",
               SOMET_INSTANCE_PATH=str(tmp_path / "instance"))
    done = subprocess.run(
        [sys.executable, "-m", "flask", "--app", "wsgi", "schedule", "solve", str(path)],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=60, check=False,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == CONTRACT_RESULT


def test_result_is_written_to_the_output_file(tmp_path):
    out = tmp_path / "result.json"
    result = run_solve(tmp_path, contract_example(), "-o", str(out), "--time-limit", "5")
    assert result.exit_code == 0
    assert json.loads(out.read_text(encoding="utf-8")) == CONTRACT_RESULT


def test_a_malformed_instance_exits_2_naming_the_field(tmp_path):
    data = contract_example()
    data["doctors"][0]["rotations"][1]["days"] = 0
    result = run_solve(tmp_path, data)
    assert result.exit_code == 2
    assert "doctors[0].rotations[1].days: must be a whole number ≥ 1" in result.stderr


def test_a_file_that_is_not_json_exits_2(tmp_path):
    result = run_solve(tmp_path, "{not json")
    assert result.exit_code == 2
    assert "not valid JSON" in result.stderr


def test_an_impossible_cohort_exits_1_and_says_which_department_is_short(tmp_path):
    result = run_solve(tmp_path, cohort(5))
    assert result.exit_code == 1
    assert json.loads(result.stdout)["status"] == "INFEASIBLE"
    assert (
        "5 doctors need rambam-neurosurgery for 4 days between 2026-03-01 and 2026-03-12, "
        "but it can host 2 a day on 9 working days: 18 doctor-days for 20 needed"
    ) in result.stderr
