"""Browser steps several browser tests take."""

from __future__ import annotations

from playwright.sync_api import Page


def log_in(page: Page, email: str, password: str) -> None:
    page.goto("/login")
    form = page.locator('form[action="/login"]')
    form.locator('input[name="email"]').fill(email)
    form.locator('input[name="password"]').fill(password)
    form.locator('button[type="submit"]').click()
