"""Practice alone: written-tone exercises and role-plays with the simulated customer."""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from django.db import transaction

from heard.desk.models import Agent
from heard.engine import Emotion, read
from heard.training import simulation
from heard.training.actions.base import (
    TrainingCode,
    TrainingError,
    check_text,
    coach_reply,
    now,
    stored,
)
from heard.training.models import Assignment, Case, Exercise, Kind, RolePlay

EMOTIONS = tuple(str(e) for e in Emotion)


def _check_assignment(agent: Agent, case: Case, kind: str, assignment: Assignment | None) -> None:
    if assignment is not None and (
        assignment.agent_id != agent.pk or assignment.case_id != case.pk or assignment.kind != kind
    ):
        raise TrainingError("That assignment is not this practice.", TrainingCode.INVALID)


def _finish_assignment(assignment_id: int | None, at: datetime) -> None:
    if assignment_id is not None:
        Assignment.objects.filter(pk=assignment_id, done_at__isnull=True).update(done_at=at)


# --- written-tone exercise ---------------------------------------------------------------------


def start_exercise(
    agent: Agent, case: Case, assignment: Assignment | None = None, at: datetime | None = None
) -> Exercise:
    _check_assignment(agent, case, Kind.EXERCISE, assignment)
    return Exercise.objects.create(
        agent=agent, case=case, assignment=assignment, started_at=now(at)
    )


def _own(exercise: Exercise, agent: Agent, step: str) -> Exercise:
    """The exercise, locked, if it is the agent's and waiting for this step."""
    locked = Exercise.objects.select_for_update().select_related("case").get(pk=exercise.pk)
    if locked.agent_id != agent.pk:
        raise TrainingError("No such exercise of yours.", TrainingCode.NOT_FOUND)
    if locked.step() != step:
        raise TrainingError("That step is done already; carry on from here.",
                            TrainingCode.WRONG_STEP)
    return locked


@transaction.atomic
def name_feelings(exercise: Exercise, agent: Agent, feelings: Sequence[str], why: str) -> Exercise:
    """Step 1: the agent says what the customer feels (and why, in a line)."""
    chosen = [f for f in EMOTIONS if f in set(feelings)]
    if not chosen or len(chosen) != len(set(feelings)):
        raise TrainingError("Choose at least one of the feelings listed.", TrainingCode.INVALID)
    exercise = _own(exercise, agent, "feelings")
    exercise.named_feelings = chosen
    exercise.feelings_why = why.strip()[:300]
    exercise.engine_emotion = str(read(exercise.case.opening_text()).emotion)
    exercise.save(update_fields=["named_feelings", "feelings_why", "engine_emotion"])
    return exercise


@transaction.atomic
def submit_reply(exercise: Exercise, agent: Agent, text: str) -> Exercise:
    """Step 2: the reply they would normally send, coached."""
    text = check_text(text)
    exercise = _own(exercise, agent, "reply")
    coaching = coach_reply(exercise.case.spec(), text)
    exercise.first_reply = text
    exercise.first_coaching = stored(coaching)
    exercise.set_dimensions(coaching.score, dict(coaching.dimensions))
    exercise.save(update_fields=["first_reply", "first_coaching", "score", "empathy", "respect",
                                 "clarity"])
    return exercise


@transaction.atomic
def submit_rewrite(
    exercise: Exercise, agent: Agent, text: str, at: datetime | None = None
) -> Exercise:
    """Step 3: the rewrite, coached; the exercise (and its assignment) is done."""
    text = check_text(text)
    exercise = _own(exercise, agent, "rewrite")
    coaching = coach_reply(exercise.case.spec(), text)
    exercise.rewrite = text
    exercise.rewrite_coaching = stored(coaching)
    exercise.set_dimensions(coaching.score, dict(coaching.dimensions))
    exercise.finished_at = now(at)
    exercise.save()
    _finish_assignment(exercise.assignment_id, exercise.finished_at)
    return exercise


# --- role-play ----------------------------------------------------------------------------------


def start_role_play(
    agent: Agent,
    case: Case,
    seed: int | None = None,
    assignment: Assignment | None = None,
    at: datetime | None = None,
) -> RolePlay:
    """A role-play with the case's customer; the seed (drawn when not given) picks among the
    lines written for each band, so the same seed and replies always play the same."""
    _check_assignment(agent, case, Kind.ROLE_PLAY, assignment)
    seed = random.randrange(1_000_000) if seed is None else seed
    conversation = simulation.begin(case.spec(), seed)
    return RolePlay.objects.create(
        agent=agent, case=case, seed=seed, assignment=assignment,
        transcript=transcript_of(conversation), started_at=now(at),
    )


@transaction.atomic
def reply_in_role_play(
    role_play: RolePlay, agent: Agent, text: str, at: datetime | None = None
) -> RolePlay:
    """One agent message: the customer reacts (replayed from the start: deterministic)."""
    text = check_text(text)
    locked = RolePlay.objects.select_for_update().select_related("case").get(pk=role_play.pk)
    if locked.agent_id != agent.pk:
        raise TrainingError("No such role-play of yours.", TrainingCode.NOT_FOUND)
    if locked.finished_at is not None:
        raise TrainingError("This role-play has ended; start another.", TrainingCode.FINISHED)
    replies = [*locked.replies, text]
    conversation = simulation.play(locked.case.spec(), locked.seed, replies)
    locked.replies = replies
    locked.transcript = transcript_of(conversation)
    locked.outcome = conversation.outcome
    scores = [e.coaching for e in conversation.exchanges]
    locked.set_dimensions(
        round(sum(c.score for c in scores) / len(scores)),
        {
            name: round(sum(c.dimensions[name] for c in scores) / len(scores))
            for name in scores[0].dimensions
        },
    )
    if conversation.finished:
        locked.finished_at = now(at)
    locked.save()
    if conversation.finished:
        _finish_assignment(locked.assignment_id, now(at))
    return locked


def transcript_of(conversation: simulation.Conversation) -> dict[str, Any]:
    """The role-play as stored: start, every exchange and the advice, all plain JSON."""
    advice = conversation.helped_most() if conversation.finished else None
    return {
        "opening": conversation.case.opening_text(),
        "start": _mood(conversation.start),
        "exchanges": [
            {
                "reply": e.reply,
                "coaching": stored(e.coaching),
                "signals": [
                    {"code": s.code, "weight": s.weight, "words": s.words} for s in e.signals
                ],
                "delta": e.delta,
                "mood": _mood(e.mood),
                "answer": e.answer,
                "reading": {"emotion": str(e.reading.emotion),
                            "confidence": round(e.reading.confidence, 3)},
                "outcome": e.outcome,
            }
            for e in conversation.exchanges
        ],
        "curve": conversation.curve(),
        "outcome": conversation.outcome,
        "advice": None if advice is None else {
            "turn": advice.turn, "code": advice.code, "weight": advice.weight,
            "words": advice.words, "text": advice.text,
        },
    }


def _mood(mood: simulation.Mood) -> dict[str, Any]:
    return {"emotion": mood.emotion, "intensity": mood.intensity, "band": mood.band}

