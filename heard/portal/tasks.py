"""The portal's jobs: thin adapters over its functions."""

from __future__ import annotations

from heard.jobs import job
from heard.portal import signin


@job
def send_sign_in_link(address: str, ip: str, browser_hash: str) -> None:
    """Ask for a link after the sign-in page answered, so its timing says nothing."""
    signin.ask(address, ip, browser_hash)
