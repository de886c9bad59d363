"""``flask schedule solve INSTANCE.json``: the scheduler on the command line, no database.

Exit codes follow the contract: 0 a schedule was found, 1 none (the reasons go to standard
error), 2 the instance breaks the format (the message names the field).
"""

from __future__ import annotations

import json
import sys

import click
from flask.cli import AppGroup

schedule_cli = AppGroup("schedule", help="Solve placement schedules (somet-schedule/1).")


@schedule_cli.command("solve", with_appcontext=False)
@click.argument("instance_file", type=click.Path(exists=True, dir_okay=False))
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write the result here.")
@click.option("--time-limit", type=click.FloatRange(min=0.01), default=10.0, show_default=True,
              help="Seconds the solver may search.")
def solve_command(instance_file: str, output: str | None, time_limit: float) -> None:
    """Solve INSTANCE_FILE and print the result JSON (or write it to -o)."""
    from somet.scheduling import InstanceError, load_instance, solve
    from somet.scheduling.wording import english

    try:
        with open(instance_file, encoding="utf-8") as handle:
            data = json.load(handle)
        instance = load_instance(data)
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        _fail(f"{instance_file} is not valid JSON: {error}")
    except InstanceError as error:
        _fail(f"{instance_file}: invalid instance: {error}")
    result = solve(instance, time_limit=time_limit)
    text = json.dumps(result.to_dict(), indent=2, ensure_ascii=False)
    if output:
        with open(output, "w", encoding="utf-8") as handle:
            handle.write(text + "\n")
    else:
        click.echo(text)
    if not result.found:
        click.echo(f"No schedule ({result.status}):", err=True)
        for conflict in result.conflicts:
            click.echo(f"- {english(conflict)}", err=True)
        sys.exit(1)


def _fail(message: str):
    click.echo(message, err=True)
    sys.exit(2)
