"""Operating SOMET: backups, restores, the demo data and the user commands."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from flask import Flask


def register(app: Flask) -> None:
    """``flask demo``, ``flask users``, ``flask backup`` and ``flask restore``."""
    from somet.ops import cli

    for command in (
        cli.demo_command,
        cli.demo_hosts_command,
        cli.users_cli,
        cli.backup_command,
        cli.restore_command,
    ):
        app.cli.add_command(command)
