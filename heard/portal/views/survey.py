"""The survey page a link in the survey email opens; no login, CSRF on."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse

from heard.care import surveys
from heard.care.models import Rating
from heard.portal.forms import SurveyForm
from heard.portal.views import page


def survey(request: HttpRequest, token: str) -> HttpResponse:
    """The survey a link in the email opens: the answer clicked is chosen, and kept only when
    the customer presses Send (mail scanners follow links, they do not press buttons)."""
    found = surveys.from_token(token)
    if found is None:
        return _closed(request, "This survey link is not valid. Was it copied whole?", 404)
    if not found.is_open():
        when = f"{found.open_until():%d %B %Y}"
        return _closed(request, f"This survey closed on {when}. Thank you all the same.", 410)
    if request.method == "POST":
        form = SurveyForm(request.POST)
        if form.is_valid():
            rating, comment = form.cleaned_data["rating"], form.cleaned_data["comment"]
            try:
                answered = surveys.answer(found, rating, comment)
            except surveys.SurveyError as error:
                return _closed(request, str(error), 410)
            return page(request, "portal/survey_thanks.html", {"survey": answered})
        status = 400
    else:
        clicked = request.GET.get("rating", "")
        rating = int(clicked) if clicked in {str(v) for v in Rating.values} else found.rating
        form = SurveyForm(initial={"rating": rating, "comment": found.comment})
        status = 200
    context = {"survey": found, "ticket": found.ticket, "form": form}
    return page(request, "portal/survey.html", context, status)


def _closed(request: HttpRequest, why: str, status: int) -> HttpResponse:
    return page(request, "portal/survey_closed.html", {"why": why}, status)
