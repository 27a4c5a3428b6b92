"""An agent's own API tokens: make one (shown once), see them, revoke one."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from heard.api import actions
from heard.api.forms import TokenForm
from heard.api.models import ApiToken
from heard.desk.errors import DeskError
from heard.desk.models import Agent, agent_for
from heard.lib.http import AgentRequest


def _agent(request: AgentRequest) -> Agent:
    agent = agent_for(request.user)
    if agent is None:
        raise Http404("You are not an agent of this desk.")
    return agent


@never_cache  # the page that shows a new token must not be kept anywhere
@login_required
def tokens(request: AgentRequest) -> HttpResponse:
    agent = _agent(request)
    form = TokenForm(request.POST or None, agent=agent)
    created = None
    if request.method == "POST" and form.is_valid():
        try:
            token, raw = actions.create_token(
                agent,
                name=form.cleaned_data["name"],
                scope=form.cleaned_data["scope"],
                team=form.cleaned_data["team"],
                expires_at=form.expires_at(),
                created_by=request.user,
            )
        except DeskError as error:
            form.add_error(None, str(error))
        else:
            created = {"token": token, "raw": raw}
            form = TokenForm(agent=agent)
    context = {"form": form, "created": created, "tokens": ApiToken.objects.filter(agent=agent)}
    return render(request, "api/tokens.html", context, status=400 if form.errors else 200)


@login_required
@require_POST
def revoke_token(request: AgentRequest, pk: int) -> HttpResponse:
    token = get_object_or_404(ApiToken, pk=pk, agent=_agent(request))
    actions.revoke_token(token, request.user)
    messages.success(request, f"The token “{token.name}” is revoked: it no longer works.")
    return redirect("api:tokens")
