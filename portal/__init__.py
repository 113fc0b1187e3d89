"""Sinergi: the CSR aid coordination portal of Kabupaten Kutai Kartanegara."""

from __future__ import annotations

from flask import Flask

from portal import config as config_module


def create_app(config: dict | None = None) -> Flask:
    """Application factory: configuration from the environment, then ``config`` on top."""
    app = Flask(__name__, instance_path=str(config_module.INSTANCE_DIR))
    app.config.from_mapping(config_module.from_environment())
    app.config.from_mapping(config or {})
    register_mail(app)
    register_extensions(app)
    register_database_pragmas(app)
    register_access(app)
    register_throttling(app)
    register_url_converters(app)
    register_blueprints(app)
    register_templates(app)
    register_errorhandlers(app)
    register_security_headers(app)
    register_commands(app)
    register_jobs(app)
    return app


def register_extensions(app: Flask) -> None:
    from portal.auth.session import setup_login
    from portal.core.choices import refuse_unknown_choices
    from portal.core.i18n import setup_babel
    from portal.extensions import csrf, db, migrate

    if not app.config.get("SECRET_KEY"):
        raise RuntimeError(
            "No SECRET_KEY: set it in the environment or run `flask --app wsgi setup` once."
        )
    db.init_app(app)
    migrate.init_app(app, db, directory=str(_migrations_dir()), render_as_batch=True)
    csrf.init_app(app)
    setup_login(app)
    setup_babel(app)
    refuse_unknown_choices()


def register_mail(app: Flask) -> None:
    from portal.core.mail import require_public_address

    require_public_address(app.config)


def _migrations_dir():
    from pathlib import Path

    return Path(__file__).resolve().parent.parent / "migrations"


def register_database_pragmas(app: Flask) -> None:
    from portal.core.database import enable_sqlite_pragmas

    enable_sqlite_pragmas()


def register_access(app: Flask) -> None:
    """The role gate first, then the company gate (the waiting room of a partner whose
    company is not active), before every request."""
    from portal.core.policy import enforce_access
    from portal.partners.gate import company_gate

    app.before_request(enforce_access)
    app.before_request(company_gate)


def register_throttling(app: Flask) -> None:
    """After the access policy, so a refused page already knows who is logged in.

    Behind ``TRUSTED_PROXIES`` reverse proxies the client's address is read from
    X-Forwarded-For, so throttling and login sessions see the visitor, not the proxy.
    """
    from werkzeug.middleware.proxy_fix import ProxyFix

    from portal.core.throttle import setup_throttling

    if proxies := int(app.config.get("TRUSTED_PROXIES") or 0):
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies)
    setup_throttling(app)


def register_url_converters(app: Flask) -> None:
    """Ids in URLs stop at 64 bits: an absurd number is a 404, not a database error."""
    from werkzeug.routing import IntegerConverter

    from portal.core.ids import MAX_ID

    class IdConverter(IntegerConverter):
        def __init__(self, url_map, *args, **kwargs):
            kwargs.setdefault("max", MAX_ID)
            super().__init__(url_map, *args, **kwargs)

    app.url_map.converters["int"] = IdConverter


def register_blueprints(app: Flask) -> None:
    from portal.admin.views import bp as admin_bp
    from portal.auth.views import bp as auth_bp
    from portal.contributions import transition_views  # noqa: F401 (routes on contributions_bp)
    from portal.contributions.views import bp as contributions_bp
    from portal.dashboards.routes import bp as dashboards_bp
    from portal.exports.views import bp as exports_bp
    from portal.handovers.views import bp as handovers_bp
    from portal.jobs.views import bp as jobs_bp
    from portal.letters import (
        certificate_views,  # noqa: F401 (routes on letters_bp)
        receipt_views,  # noqa: F401 (routes on letters_bp)
    )
    from portal.letters.views import bp as letters_bp
    from portal.main.views import bp as main_bp
    from portal.matching.routes import bp as matching_bp
    from portal.monitoring.views import bp as monitoring_bp
    from portal.notifications.views import bp as notifications_bp
    from portal.partners.views import bp as partners_bp
    from portal.registry.imports.views import bp as imports_bp
    from portal.registry.views import bp as registry_bp
    from portal.reports.views import bp as reports_bp

    for blueprint in (
        main_bp,
        auth_bp,
        admin_bp,
        jobs_bp,
        partners_bp,
        notifications_bp,
        registry_bp,
        imports_bp,
        contributions_bp,
        matching_bp,
        exports_bp,
        dashboards_bp,
        letters_bp,
        handovers_bp,
        monitoring_bp,
        reports_bp,
    ):
        app.register_blueprint(blueprint)


def register_templates(app: Flask) -> None:
    from portal.core.formatting import register_filters
    from portal.core.labels import register_labels
    from portal.core.nav import navigation_context

    register_filters(app)
    register_labels(app)
    app.context_processor(navigation_context)


def register_errorhandlers(app: Flask) -> None:
    from portal.core.errors import register_error_pages

    register_error_pages(app)


def register_security_headers(app: Flask) -> None:
    from portal.core.security import add_security_headers

    app.after_request(add_security_headers)


def register_commands(app: Flask) -> None:
    from portal.cli import commands

    for command in commands:
        app.cli.add_command(command)


def register_jobs(app: Flask) -> None:
    from portal.core.queue import huey

    if app.config.get("HUEY_IMMEDIATE"):
        huey.immediate = True
