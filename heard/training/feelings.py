"""Step 1 of the written-tone exercise: what the agent named, beside the case's truth and the
engine's reading, and what was missed."""

from __future__ import annotations

from dataclasses import dataclass

from heard.engine import Reading, read
from heard.training.models import Exercise


@dataclass(frozen=True)
class FeelingCheck:
    named: tuple[str, ...]
    truth: tuple[str, ...]  # the case's feelings, the one to answer first leading
    reading: Reading  # the engine's reading of the opening message

    @property
    def missed(self) -> tuple[str, ...]:
        return tuple(f for f in self.truth if f not in self.named)

    @property
    def extra(self) -> tuple[str, ...]:
        return tuple(f for f in self.named if f not in self.truth)

    @property
    def first_missed(self) -> bool:
        """The feeling to answer first was not named."""
        return self.truth[0] not in self.named

    @property
    def engine_agrees(self) -> bool:
        return str(self.reading.emotion) in self.truth

    def cues(self) -> list[str]:
        """The words the engine's reading rests on."""
        return [cue.text for cue in self.reading.cues if cue.text.strip()][:4]

    def verdict(self) -> list[str]:
        """What to take from the comparison, in plain sentences."""
        lines = []
        if not self.missed and not self.extra:
            lines.append("You named exactly what the customer feels.")
        if self.first_missed:
            lines.append(
                f"You missed {self.truth[0]}, the feeling to answer first: the reply should "
                "speak to it before anything else."
            )
        others = [f for f in self.missed if f != self.truth[0]]
        if others:
            lines.append(f"Also in the message: {', '.join(others)}.")
        if self.extra:
            lines.append(
                f"You named {', '.join(self.extra)}; the case does not carry "
                f"{'it' if len(self.extra) == 1 else 'them'}. Check that the words say so, "
                "not the situation you imagine."
            )
        return lines


def check(exercise: Exercise) -> FeelingCheck:
    return FeelingCheck(
        named=tuple(exercise.named_feelings),
        truth=tuple(exercise.case.feelings),
        reading=read(exercise.case.opening_text()),
    )
