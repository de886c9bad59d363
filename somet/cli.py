"""Command-line tools: ``flask demo``, ``flask users ...`` and the feature command groups."""

from __future__ import annotations

import importlib

import click
from flask import Flask
from flask.cli import AppGroup

from somet.extensions import db
from somet.models import Role
from somet.services import accounts
from somet.services.errors import DomainError

users_cli = AppGroup("users", help="Manage logins.")


@click.command("demo")
@click.option("--reset", is_flag=True, help="Empty every table first, then load the demo.")
def demo_command(reset: bool) -> None:
    """Load the demo training centre (does nothing if it is already loaded)."""
    from somet.demo.data import DEMO_PASSWORD
    from somet.demo.loader import load_demo

    result = load_demo(reset=reset)
    click.echo("Demo data loaded." if result.created else "Demo data is already loaded.")
    click.echo(f"Logins (password for all: {DEMO_PASSWORD}):")
    for email, what in result.logins:
        click.echo(f"  {email:<28} {what}")


@users_cli.command("create-admin")
@click.argument("email")
@click.option("--name", default="Administrator", show_default=True)
@click.password_option()
def create_admin(email: str, name: str, password: str) -> None:
    """Create an administrator login (the first user of a new installation)."""
    from werkzeug.security import generate_password_hash

    from somet.models import User

    try:
        accounts.check_password_rules(password)
    except DomainError as error:
        raise click.ClickException(str(error)) from None
    if accounts.find_user_by_email(email) is not None:
        raise click.ClickException(f"A user with the e-mail {email} already exists.")
    db.session.add(
        User(
            email=email.lower(),
            full_name=name,
            role=Role.ADMIN,
            password_hash=generate_password_hash(password),
        )
    )
    db.session.commit()
    click.echo(f"Administrator {email} created.")


# Command groups of the features: (module, attribute). One line per feature.
COMMAND_GROUPS = (
    ("somet.cli", "demo_command"),
    ("somet.cli", "users_cli"),
)


def register_cli(app: Flask) -> None:
    """Attach every command group to ``flask``."""
    for module_name, attribute in COMMAND_GROUPS:
        app.cli.add_command(getattr(importlib.import_module(module_name), attribute))
