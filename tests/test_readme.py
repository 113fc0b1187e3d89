"""The README's demo-account table is the one the seed creates."""

from pathlib import Path

from portal.demo.accounts import DEMO_ACCOUNTS

README = (Path(__file__).resolve().parent.parent / "README.md").read_text()


def test_readme_starts_with_the_two_commands():
    head = README[:400]
    assert "make run" in head and "make test" in head


def test_readme_lists_every_demo_account_with_its_password():
    for account in DEMO_ACCOUNTS:
        assert f"`{account.email}` | `{account.password}`" in README
