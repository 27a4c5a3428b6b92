"""read() and read_many(): what a Reading holds, and how sentences are combined."""

from __future__ import annotations

import json
from importlib import resources

import pytest

from heard.engine import Emotion, EngineConfig, Reading, read, read_many
from heard.engine._model import _batches, model

POLITE = "Hi team, I hope you are well. Thank you for the lovely onboarding. "
ANGRY = "Being charged twice is outrageous and I'm furious about it. "


def test_scores_are_a_distribution_over_the_seven_emotions() -> None:
    reading = read("Where is my parcel? It was due on Monday.")
    assert list(reading.scores) == list(Emotion)
    assert sum(reading.scores.values()) == pytest.approx(1.0, abs=1e-5)
    assert reading.emotion == max(reading.scores, key=reading.scores.__getitem__)
    assert reading.confidence == reading.scores[reading.emotion]


def test_read_many_agrees_with_read_and_keeps_order() -> None:
    texts = ["Thanks a lot!", POLITE + ANGRY, "", "How do I export my data?"]
    for together, alone in zip(read_many(texts), map(read, texts), strict=True):
        assert_same_reading(together, alone)


def test_a_message_reads_the_same_alone_and_in_any_batch() -> None:
    # The encoder runs texts in batches of similar length; each token's activations are
    # quantized on their own, so neighbours in a batch must not change a reading.
    texts = [
        f"Order {n}: {'still missing, ' * (n % 7)}where is it? " * (1 + n % 3) for n in range(70)
    ]
    texts += ["Thanks!", POLITE + ANGRY * 3, "Je suis très déçu du service."]
    forwards, backwards = read_many(texts), read_many(texts[::-1])[::-1]
    for text, one, other in zip(texts, forwards, backwards, strict=True):
        assert_same_reading(one, other)
        assert_same_reading(one, read(text))


def assert_same_reading(one: Reading, other: Reading) -> None:
    assert one.emotion == other.emotion
    assert [(c.start, c.end, c.label) for c in one.cues] == [
        (c.start, c.end, c.label) for c in other.cues
    ]
    for emotion, score in one.scores.items():
        assert score == pytest.approx(other.scores[emotion], abs=1e-5)
    assert one.urgency == pytest.approx(other.urgency, abs=1e-5)


def test_one_clearly_negative_sentence_decides_a_polite_email() -> None:
    text = POLITE + ANGRY + "Thanks again, have a great day."
    reading = read(text)
    assert reading.emotion in (Emotion.ANGER, Emotion.FRUSTRATION)
    cue = next(cue for cue in reading.cues if cue.kind == "emotion")
    assert cue.text == ANGRY.strip()  # the sentence that decided it is the one shown


def test_a_text_longer_than_the_model_reads_is_read_to_its_end() -> None:
    """Past the model's window (128 word pieces) the sentences are averaged in, a negative one
    weighing more, so a complaint at the end of a long email is not cut off."""
    text = POLITE * 12 + ANGRY
    weighted = read(text)
    averaged = read(text, EngineConfig(negative_weight=0.0))
    assert weighted.scores[Emotion.ANGER] > averaged.scores[Emotion.ANGER]
    assert weighted.emotion in (Emotion.ANGER, Emotion.FRUSTRATION)


def test_it_explains_itself() -> None:
    reading = read("My flight leaves in two hours and I'm locked out!")
    line = reading.explain()
    assert str(reading.emotion) in line
    assert 'deadline within hours: "in two hours"' in line
    assert 'locked out: "locked out"' in line


def test_it_lists_what_it_left_out() -> None:
    text = (
        "Fixed, thanks!\n\nSent from my iPhone\n\nOn Mon, 3 Jun 2024, Support <s@x.io> wrote:\n> Hi"
    )
    reading = read(text)
    assert [span.label for span in reading.ignored] == ["signature", "quoted history"]
    assert reading.ignored[-1].end == len(text)


def test_strip_history_can_be_turned_off() -> None:
    text = "Fixed.\n> I am locked out and furious"
    assert not any(cue.label == "locked out" for cue in read(text).cues)
    kept = read(text, EngineConfig(strip_history=False))
    assert any(cue.label == "locked out" for cue in kept.cues)


def test_it_rejects_what_is_not_text() -> None:
    with pytest.raises(TypeError, match="str"):
        read(b"bytes")  # type: ignore[arg-type]


def test_the_shipped_model_is_small_and_consistent() -> None:
    data = resources.files("heard.engine").joinpath("data")
    files = ("model.onnx", "sparse.npz", "vocab.txt")
    assert sum(len(data.joinpath(name).read_bytes()) for name in files) <= 30 * 1024 * 1024
    meta = json.loads(data.joinpath("model.json").read_text())
    assert meta["emotions"] == [str(e) for e in Emotion]
    assert len(meta["labels"]) == len(meta["label_thresholds"]) == 28
    assert model(1) is model(1)


# ids from the `tokenizers` package with all-MiniLM-L6-v2's tokenizer.json
@pytest.mark.parametrize(
    ("text", "ids"),
    [
        ("I'm SO annoyed!!", [101, 1045, 1005, 1049, 2061, 11654, 999, 999, 102]),
        (
            "Caf\u00e9 na\u00efve \u6211\u7684 don\u2019t",
            [101, 7668, 15743, 1855, 1916, 2123, 1521, 1056, 102],
        ),
    ],
)
def test_the_tokenizer_gives_the_ids_bert_gives(text: str, ids: list[int]) -> None:
    assert model(1).tokenizer.encode(text, 128) == ids


@pytest.mark.parametrize("words", [125, 126, 127, 128, 300])
def test_a_text_is_tokenized_once_and_cut_where_the_encoder_stops(words: int) -> None:
    # "ok" is one word piece: [CLS] + 126 pieces + [SEP] is all the encoder reads at once
    reader, text = model(1), " ".join(["ok"] * words)
    window = reader.meta["max_tokens"]
    assert reader.token_ids(text) == reader.tokenizer.encode(text, window)
    assert reader.overflows(text) == (words > window - 2)


def test_a_long_text_is_not_batched_with_short_ones_it_would_pad_to_its_length() -> None:
    # A message's whole text and its sentences go to the encoder together; padding its four
    # short sentences to the whole text's length would cost more than a second run.
    ids = [[1] * length for length in (57, 21, 15, 11, 16)]
    assert _batches(ids) == [[3, 2, 4, 1], [0]]
    assert _batches([[1] * 10] * 40) == [list(range(32)), list(range(32, 40))]  # at most BATCH
