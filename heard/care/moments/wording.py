"""A moment's words: the greeting filled in for one customer, and the rule's checks.

The greeting a team writes is coached like an agent's draft (`heard.engine.coach`), filled with
an example name and the gift; words that would hurt (blame, sending them to read something, a
policy wall, dismissing, template language, a curt closing, shouting) are refused when the rule
is saved, with the coach's reason.
"""

from __future__ import annotations

from django.conf import settings

from heard.care import kinds
from heard.care.models import GiftKind, Greeting, Moment, Occasion
from heard.care.models.moment import PLACEHOLDER
from heard.engine import coach

HARMFUL = frozenset(
    {"blame", "rtfm", "policy_wall", "dismissive", "robotic", "curt_closing", "shouting"}
)
EXAMPLE_NAME = "Gordana"
ALLOWED = {"subject": {"name"}, "greeting": {"name", "gift"}}


def subject(greeting: Greeting) -> str:
    return greeting.moment.fill(greeting.moment.subject, _name(greeting))


def text(greeting: Greeting, code: str = "") -> str:
    """The greeting's email before its reason and unsubscribe lines (queue_automatic adds
    those): the team's words, the code that claims the gift (only one assigned) and a sign-off."""
    words = kinds.GREETING.words()
    moment = greeting.moment
    paragraphs = [moment.fill(moment.greeting, _name(greeting)).strip()]
    if code:
        paragraphs.append(words["code"].format(code=code))
    paragraphs.append(words["signoff"].format(company=settings.HEARD_SUPPORT_NAME))
    return "\n\n".join(paragraphs)


def _name(greeting: Greeting) -> str:
    return greeting.customer.address_name()


def has_name(name: str) -> bool:
    """A name to greet someone by ('maja@example.org', what a nameless sender is filed as, is
    not one)."""
    return bool(name.strip()) and "@" not in name


def check_rule(moment: Moment) -> dict[str, list[str]]:
    """What is wrong with the rule, by field (empty when it is fine)."""
    errors: dict[str, list[str]] = {}

    def add(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    if moment.occasion == Occasion.ANNIVERSARY and not moment.years:
        add("years", "Say which anniversary: how many years as a customer.")
    if moment.occasion == Occasion.DATE and moment.date is None:
        add("date", "Choose the day.")
    if moment.gift_kind != GiftKind.NONE and not moment.gift_text.strip():
        add("gift_text", "Name the gift, as the greeting will say it.")
    for field, allowed in ALLOWED.items():
        template = getattr(moment, field)
        unknown = {m for m in PLACEHOLDER.findall(template) if m not in allowed}
        if unknown:
            named = ", ".join("{" + name + "}" for name in sorted(unknown))
            known = ", ".join("{" + name + "}" for name in sorted(allowed))
            add(field, f"Only {known} can be filled in, not {named}.")
    if moment.has_gift() and "{gift}" not in moment.greeting:
        add("greeting", "Say what the gift is: put {gift} in the greeting.")
    if not moment.has_gift() and "{gift}" in moment.greeting:
        add("greeting", "There is no gift to name: take {gift} out, or choose a gift.")
    for field in ("subject", "greeting"):
        for finding in hurtful(moment.fill(getattr(moment, field), EXAMPLE_NAME)):
            add(field, finding)
    return errors


def hurtful(text: str) -> list[str]:
    """What the coach says would hurt in these words ("“Dear Customer”: …"), if anything."""
    if not text.strip():
        return []
    found = coach(text, None, EXAMPLE_NAME).findings
    return [f"“{f.text}”: {f.why}" for f in found if f.code in HARMFUL]
