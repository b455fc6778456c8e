"""The widget tests run on the small demo store with two years of orders."""

from tests.backoffice import demo_backend, demo_settings, demo_template  # noqa: F401
