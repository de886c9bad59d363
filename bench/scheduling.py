"""Benchmark of the placement solver on generated instances of realistic shape.

For each size it builds one instance (seeded, so every run sees the same ones), solves it
with SOMET's solver and with the plain time-indexed model (one Boolean per doctor, rotation,
department and start; CP-SAT on 2 workers, no hint), checks every result with the
independent checker, and prints score, proven bound, gap and time.

    .venv/bin/python bench/scheduling.py [--sizes cohort,cohorts,season,large] [--runs N]

``--spread`` measures how stable the solver is at season scale instead: for each 500-doctor
instance of ``--instances`` (generator seed and capacity room, e.g. ``1:1.0,2:0.8``; a room
below 1 is tight) it solves ``--runs`` times (solver seeds 0, 1, ...) and the plain model
``--plain-runs`` times at the same limit and workers, and prints each score, the spread
(max - min) / max, and the lowest SOMET score against the best plain one.

    .venv/bin/python bench/scheduling.py --spread [--instances 1:1.0,2:0.8] [--runs 5]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from somet.scheduling import check_schedule, load_instance, score_schedule, solve
from somet.scheduling.generator import generate_season

SIZES = {
    # name: (doctors, hospitals, weeks, time limit in seconds)
    "cohort": (30, 1, 2, 10.0),
    "cohorts": (60, 1, 3, 30.0),
    "season": (200, 2, 4, 60.0),
    "large": (500, 3, 8, 60.0),
}
RUNS = {"large": 2}  # seeds per size (1 elsewhere): shows how stable each solver is


def generate(name: str, seed: int = 1) -> dict:
    doctors, hospitals, weeks, _ = SIZES[name]
    return generate_season(doctors, hospitals, weeks, seed=f"{name}-{seed}")


def spread(instances: str, runs: int, plain_runs: int, limit: float) -> None:
    """Score spread of SOMET's solver over solver seeds, and its worst run against plain."""
    doctors, hospitals, weeks, _ = SIZES["large"]
    for item in instances.split(","):
        seed, room = item.split(":")
        data = generate_season(doctors, hospitals, weeks, seed=f"large-{seed}", room=float(room))
        print(f"seed {seed}, room {room}: {describe(data)}; time limit {limit:.0f} s", flush=True)
        somet = [run_one(data, limit, plain=False, seed=s) for s in range(runs)]
        plain = [run_one(data, limit, plain=True, seed=s) for s in range(plain_runs)]
        for label, done in (("somet", somet), ("plain", plain)):
            for run in done:
                print(line(label, run), flush=True)
        if all(run["status"] == "INFEASIBLE" for run in somet + plain):
            print("  no valid schedule exists: both solvers prove it (too tight)", flush=True)
            continue
        scores = [run["score"] or 0 for run in somet]
        width = 100.0 * (max(scores) - min(scores)) / max(max(scores), 1)
        best_plain = max((run["score"] or 0 for run in plain), default=0)
        verdict = "never below plain" if min(scores) >= best_plain else "BELOW plain"
        print(f"  spread {width:.2f} % over {runs} runs (scores {min(scores)}-{max(scores)}); "
              f"worst {min(scores)} vs best plain {best_plain}: {verdict}", flush=True)


def run_one(data: dict, time_limit: float, plain: bool, seed: int) -> dict:
    instance = load_instance(data)
    started = time.monotonic()
    result = solve(instance, time_limit=time_limit, workers=2, seed=seed, plain=plain)
    seconds = time.monotonic() - started
    if result.found:
        problems = check_schedule(instance, result.placements)
        assert not problems, problems[:5]
        assert result.score == score_schedule(instance, result.placements)
        assert result.score <= result.bound
    gap = None
    if result.found and result.bound:
        gap = 100.0 * (result.bound - result.score) / result.bound
    return {"status": result.status, "score": result.score, "bound": result.bound,
            "gap": gap, "seconds": seconds}


def describe(data: dict) -> str:
    instance = load_instance(data)
    rotations = sum(len(d.rotations) for d in instance.doctors)
    return (f"{len(instance.doctors)} doctors, {rotations} rotations, "
            f"{len(instance.departments)} departments, {len(instance.working_days)} working days")


def line(label: str, run: dict) -> str:
    gap = "-" if run["gap"] is None else f"{run['gap']:.2f} %"
    return (f"  {label:<6} {run['status']:<10} score {run['score']!s:>6}  bound "
            f"{run['bound']!s:>6}  gap {gap:>8}  time {run['seconds']:5.1f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default=",".join(SIZES))
    parser.add_argument("--runs", type=int, help="solver seeds per size (default: RUNS)")
    parser.add_argument("--no-plain", action="store_true", help="skip the plain model")
    parser.add_argument("--spread", action="store_true", help="stability at 500 doctors")
    parser.add_argument("--instances", default="1:1.0,2:0.9,3:1.2", help="seed:room,...")
    parser.add_argument("--plain-runs", type=int, default=1)
    parser.add_argument("--limit", type=float, default=60.0, help="seconds (--spread)")
    args = parser.parse_args()
    print("Placement solver benchmark (CP-SAT, 2 workers; every result checked)")
    started = time.monotonic()
    if args.spread:
        spread(args.instances, args.runs or 5, args.plain_runs, args.limit)
        print(f"total {time.monotonic() - started:.0f} s")
        return
    for name in args.sizes.split(","):
        data = generate(name)
        limit = SIZES[name][3]
        print(f"{name}: {describe(data)}; time limit {limit:.0f} s", flush=True)
        runs = []
        for seed in range(args.runs or RUNS.get(name, 1)):
            for label in ("somet",) if args.no_plain else ("somet", "plain"):
                runs.append((label, run_one(data, limit, plain=label == "plain", seed=seed)))
                print(line(*runs[-1]), flush=True)
        print(summary(runs), flush=True)
    print(f"total {time.monotonic() - started:.0f} s")


def summary(runs: list[tuple[str, dict]]) -> str:
    """Each solver's scores as a share of the tightest bound either of them proved."""
    bounds = [run["bound"] for _, run in runs if run["bound"] is not None]
    if not bounds:
        return "  (no bound)"
    best = min(bounds)
    shares = []
    for label in dict(runs):
        scores = [run["score"] or 0 for name, run in runs if name == label]
        shares.append(f"{label} " + ", ".join(f"{100.0 * s / best:.1f} %" for s in scores))
    return f"  of the best proven bound {best}: " + "; ".join(shares)


if __name__ == "__main__":
    main()
