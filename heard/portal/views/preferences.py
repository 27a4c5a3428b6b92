"""My preferences: consents with when and how each was given or withdrawn, automatic updates,
birthday, language and time zone; every change through the desk's action."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_http_methods

from heard.desk import actions
from heard.desk.models import ConsentKind
from heard.portal.customer_forms import PreferencesForm
from heard.portal.session import PortalRequest, customer_required
from heard.portal.views import page


@customer_required
@require_http_methods(["GET", "HEAD", "POST"])
def preferences(request: PortalRequest) -> HttpResponse:
    customer = request.customer
    form = PreferencesForm(initial=PreferencesForm.initial_for(customer), customer=customer)
    status = 200
    if request.method == "POST":
        form, status = PreferencesForm(request.POST, customer=customer), 400
        if form.is_valid():
            try:
                changed = actions.update_customer_preferences(
                    customer,
                    consents=form.consents(),
                    automatic_updates=form.cleaned_data["automatic_updates"],
                    birthday=form.cleaned_data["birthday"],
                    language=form.cleaned_data["language"],
                    time_zone=form.cleaned_data["time_zone"],
                    source="portal",
                )
            except actions.DeskError as exc:
                form.add_error(None, str(exc))
            else:
                said = f"Saved: {', '.join(changed)}." if changed else "Nothing needed changing."
                messages.success(request, said)
                return redirect("portal:preferences")
    consents = [
        (form[f"consent_{kind}"], customer.consent(kind)) for kind in ConsentKind.values
    ]
    context = {"customer": customer, "form": form, "consents": consents}
    return page(request, "portal/preferences.html", context, status)
