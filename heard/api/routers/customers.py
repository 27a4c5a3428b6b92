"""Customers of the token's teams: get, change their name and preferences, and record their
consents."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.http import HttpRequest
from ninja import Router

from heard.api import outputs
from heard.api.routers import ERRORS, caller
from heard.api.schemas import (
    ConsentChange,
    ConsentIn,
    ConsentName,
    CustomerOut,
    CustomerPatch,
)
from heard.desk import actions
from heard.desk.models import CONSENTS_IN_FORCE, Consent, Customer

router = Router(tags=["customers"])

#: How a consent recorded through the API is described in its history ("by <the token's agent>
#: through the API", `heard.desk.models.CONSENT_SOURCES`); `by` is the token's agent.
SOURCE = "api"


def _loaded(pk: int) -> Customer:
    query = Customer.objects.select_related(*CONSENTS_IN_FORCE).prefetch_related("emails")
    return query.get(pk=pk)


@router.get("/{customer_id}", response={200: CustomerOut, **ERRORS}, summary="Get a customer")
def get_customer(request: HttpRequest, customer_id: int) -> dict[str, Any]:
    """A customer with a ticket in the token's teams: their addresses, preferences and each
    consent as recorded (never asked is no)."""
    customer = caller(request).customer(customer_id)
    return outputs.customer(_loaded(customer.pk))


@router.patch(
    "/{customer_id}", response={200: CustomerOut, **ERRORS}, summary="Change name and preferences"
)
def update_customer(request: HttpRequest, customer_id: int, data: CustomerPatch) -> dict[str, Any]:
    """Their name and what they like to be called (`heard.desk.actions.rename_customer`), their
    language, time zone, birthday and the automatic updates on their requests, as the customer
    asked (`heard.desk.actions.update_customer_preferences`, recorded through the API); all or
    nothing of it."""
    who = caller(request)
    customer = _loaded(who.customer(customer_id).pk)
    birthday = None if data.forget_birthday else (data.birthday or customer.birthday)
    updates = customer.updates_stopped_at is None
    with transaction.atomic():
        if data.name is not None or data.preferred_name is not None:
            actions.rename_customer(customer, data.name, data.preferred_name)
        actions.update_customer_preferences(
            customer,
            consents={},
            automatic_updates=updates if data.automatic_updates is None else data.automatic_updates,
            birthday=birthday,
            language=data.language or customer.language,
            time_zone=data.time_zone or customer.time_zone,
            source=SOURCE,
            by=who.agent.user,
        )
    return outputs.customer(_loaded(customer.pk))


@router.get(
    "/{customer_id}/consents",
    response={200: list[ConsentChange], **ERRORS},
    summary="Consent history",
)
def consent_history(request: HttpRequest, customer_id: int) -> list[dict[str, Any]]:
    """Every change of every consent, newest first: when, how, and who at our end recorded it."""
    customer = caller(request).customer(customer_id)
    changes = Consent.objects.filter(customer=customer).select_related("by").order_by("-at", "-pk")
    return [outputs.consent(change) for change in changes[:500]]


@router.put(
    "/{customer_id}/consents/{kind}",
    response={200: CustomerOut, **ERRORS},
    summary="Record a consent",
)
def record_consent(
    request: HttpRequest, customer_id: int, kind: ConsentName, data: ConsentIn
) -> dict[str, Any]:
    """Record what the customer told you: that they agree (`given` true) or withdraw. Record
    only their own word: consent is never assumed, and Heard's emails say the day it was given.
    The same state again changes nothing (the day it was first given stays true)."""
    who = caller(request)
    customer = who.customer(customer_id)
    actions.record_consent(customer, kind, data.given, SOURCE, by=who.agent.user)
    return outputs.customer(_loaded(customer.pk))
