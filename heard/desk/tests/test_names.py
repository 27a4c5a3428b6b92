"""The name a customer is greeted by, from the name their email was signed with."""

from __future__ import annotations

import pytest

from heard.desk.models import Customer
from heard.desk.names import given_name


@pytest.mark.parametrize(
    ("signed", "greeted"),
    [
        ("Maja Novak", "Maja"),
        ("Smith, John", "John"),
        ("O'Brien, Siobhán", "Siobhán"),
        ("John Smith, PhD", "John"),
        ("JOHN SMITH", "John"),
        ("anna", "Anna"),
        ("jean-luc picard", "Jean-Luc"),
        ("McKenzie Ross", "McKenzie"),
        ("Zoë Lefèvre", "Zoë"),
        ("Dr. Jane Doe", "Jane"),
        ("Mr Patel", "Mr Patel"),
        ("mrs. o'neil", "Mrs O'Neil"),
    ],
)
def test_a_person_is_greeted_by_their_given_name(signed: str, greeted: str) -> None:
    assert given_name(signed) == greeted


@pytest.mark.parametrize(
    "signed",
    [
        "The Miller Family",
        "Acme Ltd Accounts",
        "Billing Department",
        "j.doe",
        "J. R. Smith",
        "maja@example.org",
        "Dr.",
        "  ",
        "Unknown sender",
    ],
)
def test_a_name_that_is_not_a_persons_gives_no_greeting_name(signed: str) -> None:
    assert given_name(signed) == ""


def test_a_preferred_name_comes_first() -> None:
    assert Customer(name="Smith, Alexandra", preferred_name="Sasha").address_name() == "Sasha"
    assert Customer(name="Smith, Alexandra").address_name() == "Alexandra"
