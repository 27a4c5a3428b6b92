"""My account: export my data, and ask to be forgotten (a team lead confirms it)."""

from __future__ import annotations

import io
import json

from django.contrib import messages
from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from heard.desk import actions
from heard.desk.models import ForgetRequest
from heard.lib import downloads
from heard.portal.customer_forms import ForgetForm
from heard.portal.export import my_data
from heard.portal.session import PortalRequest, customer_required
from heard.portal.views import page


@customer_required
def account(request: PortalRequest) -> HttpResponse:
    return _account_page(request, ForgetForm())


def _account_page(request: PortalRequest, form: ForgetForm, status: int = 200) -> HttpResponse:
    waiting = ForgetRequest.objects.filter(customer=request.customer, forgotten_at=None).first()
    context = {"customer": request.customer, "form": form, "forget_request": waiting}
    return page(request, "portal/account.html", context, status)


@customer_required
def export(request: PortalRequest) -> FileResponse:
    """Everything Heard holds about the customer, as a JSON file to save (never shown inline)."""
    data = json.dumps(my_data(request.customer), ensure_ascii=False, indent=2).encode()
    return downloads.serve(
        io.BytesIO(data), filename="my-data.json", content_type="application/json"
    )


@customer_required
@require_POST
def forget(request: PortalRequest) -> HttpResponse:
    form = ForgetForm(request.POST)
    if not form.is_valid():
        return _account_page(request, form, 400)
    actions.request_forgetting(request.customer, source="portal")
    messages.success(
        request,
        "We have your request. A team lead will confirm it; until then, everything stays as it "
        "is. Once it is done, you are signed out and your messages and details are gone.",
    )
    return redirect("portal:account")
