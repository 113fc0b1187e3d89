"""`flask db upgrade` on an empty database gives exactly the models' schema."""

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade

from portal import create_app
from portal.core.database import include_object_for
from portal.extensions import db
from tests.conftest import app_config
from tests.dbutil import postgres_server_url, temporary_postgres, temporary_sqlite


def schema_drift(url: str) -> list:
    app = create_app(app_config(url))
    with app.app_context():
        upgrade(directory=app.extensions["migrate"].directory)
        with db.engine.connect() as conn:
            opts = {"compare_type": True, "include_object": include_object_for(conn.dialect.name)}
            context = MigrationContext.configure(conn, opts=opts)
            diff = compare_metadata(context, db.metadata)
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


def test_downgrade_to_base_and_back():
    with temporary_sqlite() as url:
        app = create_app(app_config(url))
        with app.app_context():
            directory = app.extensions["migrate"].directory
            upgrade(directory=directory)
            downgrade(directory=directory, revision="base")
            upgrade(directory=directory)
            db.engine.dispose()
