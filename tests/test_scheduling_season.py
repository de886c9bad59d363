"""Season-scale solving through `flask schedule solve`: whatever the instance, capacity and time
limit, the command prints a valid schedule (exit 0) or says none was found (exit 1); it never
crashes (before, a 500-doctor season at a short limit ended in a TypeError) and never answers
2 to a valid instance.

Pure: no database, so it runs once, in the SQLite pass.
"""

from __future__ import annotations

import json
import os

import pytest
from click.testing import CliRunner

from somet.planning.cli import schedule_cli
from somet.scheduling import check_schedule, load_instance, score_schedule
from somet.scheduling.generator import generate_season

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        bool(os.environ.get("SOMET_TEST_DATABASE_URL")),
        reason="needs no database: runs in the SQLite pass",
    ),
]

# (doctors, hospitals, weeks, seed, room, time limit): tight to loose capacity, 1 s and up
CASES = [
    (200, 2, 4, 1, 1.0, 1),
    (200, 2, 4, 2, 0.6, 1),
    (200, 2, 4, 3, 0.8, 2),
    (200, 2, 4, 4, 1.5, 1),
    (200, 2, 4, 5, 0.4, 1),
    (500, 3, 8, 1, 1.0, 1),
    (500, 3, 8, 2, 0.7, 1),
    (500, 3, 8, 3, 1.3, 2),
    (500, 3, 8, 4, 0.5, 3),
]


@pytest.mark.parametrize(("doctors", "hospitals", "weeks", "seed", "room", "limit"), CASES)
def test_a_season_always_gets_a_valid_schedule_or_a_reason(
    tmp_path, doctors, hospitals, weeks, seed, room, limit
):
    data = generate_season(doctors, hospitals, weeks, seed=f"season-{seed}", room=room)
    path, out = tmp_path / "season.json", tmp_path / "result.json"
    path.write_text(json.dumps(data), encoding="utf-8")

    done = CliRunner().invoke(
        schedule_cli, ["solve", str(path), "-o", str(out), "--time-limit", str(limit)]
    )

    assert done.exception is None or isinstance(done.exception, SystemExit), done.exception
    assert done.exit_code in (0, 1), done.output
    result = json.loads(out.read_text(encoding="utf-8"))
    if done.exit_code == 1:
        assert result["status"] in ("INFEASIBLE", "UNKNOWN")
        assert result["conflicts"], "a refusal says why"
        return
    assert result["status"] in ("OPTIMAL", "FEASIBLE")
    instance = load_instance(data)
    placements = result["placements"]
    assert not check_schedule(instance, placements)
    assert result["score"] == score_schedule(instance, placements)
    if result["bound"] is not None:
        assert result["score"] <= result["bound"]
    if result["status"] == "OPTIMAL":
        assert result["bound"] == result["score"]
