"""`flask db upgrade` on an empty database gives exactly the models' schema."""

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect, text

from portal import create_app
from portal.core.database import include_object_for
from portal.extensions import db
from tests.conftest import app_config
from tests.dbutil import postgres_server_url, temporary_postgres, temporary_sqlite


def drift(conn) -> list:
    opts = {"compare_type": True, "include_object": include_object_for(conn.dialect.name)}
    return compare_metadata(MigrationContext.configure(conn, opts=opts), db.metadata)


def schema_drift(url: str) -> list:
    app = create_app(app_config(url))
    with app.app_context():
        upgrade(directory=app.extensions["migrate"].directory)
        with db.engine.connect() as conn:
            diff = drift(conn)
        db.engine.dispose()
    return diff


def test_upgrade_matches_models_on_sqlite():
    with temporary_sqlite() as url:
        assert schema_drift(url) == []


@pytest.mark.postgres
def test_upgrade_matches_models_on_postgresql():
    server = postgres_server_url()
    if not server:
        pytest.skip("TEST_DATABASE_URL is not set: no PostgreSQL server to test against")
    with temporary_postgres(server, "sinergi_migration") as url:
        assert schema_drift(url) == []


def downgrade_and_back(url: str) -> None:
    """Upgrade, downgrade to base (every table of ours gone, no revision left), then
    upgrade again to exactly the models' schema."""
    app = create_app(app_config(url))
    with app.app_context():
        directory = app.extensions["migrate"].directory
        upgrade(directory=directory)
        downgrade(directory=directory, revision="base")
        with db.engine.connect() as conn:
            left = set(inspect(conn).get_table_names()) - {"alembic_version"}
            assert left == set()
            assert MigrationContext.configure(conn).get_current_revision() is None
            if conn.dialect.name == "postgresql":
                types = (
                    conn.execute(
                        text(
                            "SELECT typname FROM pg_type t"
                            " JOIN pg_namespace n ON n.oid = t.typnamespace"
                            " WHERE n.nspname = 'public' AND t.typtype = 'e'"
                        )
                    )
                    .scalars()
                    .all()
                )
                assert types == []
        upgrade(directory=directory)
        with db.engine.connect() as conn:
            assert set(inspect(conn).get_table_names()) >= set(db.metadata.tables)
            assert drift(conn) == []
        db.engine.dispose()


def test_downgrade_to_base_and_back_on_sqlite():
    with temporary_sqlite() as url:
        downgrade_and_back(url)


@pytest.mark.postgres
def test_downgrade_to_base_and_back_on_postgresql():
    server = postgres_server_url()
    if not server:
        pytest.skip("TEST_DATABASE_URL is not set: no PostgreSQL server to test against")
    with temporary_postgres(server, "sinergi_downgrade") as url:
        downgrade_and_back(url)
