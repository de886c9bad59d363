"""The Alembic migrations build exactly the schema the models describe."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect, text

from somet.models import Base
from somet.models.base import include_in_migrations
from somet.web.extensions import db
from tests.conftest import POSTGRES_URL, mark_postgres_schema_dirty


def _empty_database() -> None:
    if POSTGRES_URL:
        mark_postgres_schema_dirty()
        with db.engine.begin() as connection:
            connection.execute(text("DROP SCHEMA public CASCADE"))
            connection.execute(text("CREATE SCHEMA public"))
    else:
        Base.metadata.drop_all(db.engine)


def test_migrations_build_the_models_schema(app):
    _empty_database()
    upgrade()
    with db.engine.connect() as connection:
        context = MigrationContext.configure(
            connection,
            opts={"compare_type": True, "include_object": include_in_migrations},
        )
        differences = compare_metadata(context, Base.metadata)
    assert differences == []
    tables = set(inspect(db.engine).get_table_names())
    assert set(Base.metadata.tables) <= tables


def test_migrations_downgrade_to_nothing_and_up_again(app):
    _empty_database()
    upgrade()
    downgrade(revision="base")
    assert set(inspect(db.engine).get_table_names()) <= {"alembic_version"}
    upgrade()
    assert "cohorts" in inspect(db.engine).get_table_names()
