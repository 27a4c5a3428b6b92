"""The engine's one options object."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class EngineConfig:
    """Options for `read()` and `read_many()`; the defaults are the ones the model card measured.

    - `urgent_threshold`: a reading is `urgent` when its urgency reaches this value.
    - `sentences_from`: a message with at least this many sentences, or longer than the model
      reads at once, is read whole and also sentence by sentence. The whole text's reading
      stands, except that
    - `clear_negative`: when one sentence reads negative with at least this probability, the
      message reads as the most probable negative emotion (a complaint in a polite email), and
    - `negative_weight`: when the text is longer than the model reads at once, the sentences'
      readings are averaged in, a negative one counting this much more than a neutral or
      polite one (0 gives a plain average).
    - `min_english`: below this English score (0..1) the text is not read for emotion.
    - `max_sentences`: longer messages are read up to this many sentences.
    - `strip_history`: leave quoted history, signatures and disclaimers out of the reading.
    - `threads`: CPU threads the model may use.
    - `max_chars`: only this many characters of a message are read (its beginning, where the
      new words are), so that reading has a ceiling in time and memory; cues point into it.
    """

    urgent_threshold: float = 0.5
    sentences_from: int = 4
    negative_weight: float = 4.0
    clear_negative: float = 0.95
    min_english: float = 0.5
    max_sentences: int = 40
    strip_history: bool = True
    threads: int = 1
    max_chars: int = 20_000

    def __post_init__(self) -> None:
        for name in ("urgent_threshold", "min_english", "clear_negative"):
            if not 0.0 <= getattr(self, name) <= 1.0:
                raise ValueError(f"EngineConfig.{name} must be between 0 and 1")
        if self.negative_weight < 0:
            raise ValueError("EngineConfig.negative_weight must not be negative")
        if min(self.sentences_from, self.max_sentences, self.threads, self.max_chars) < 1:
            raise ValueError(
                "EngineConfig.sentences_from, max_sentences, threads, max_chars must be >= 1"
            )
