"""The n-gram half of the model extracts the n-grams scikit-learn's analyzers extract."""

from __future__ import annotations

import numpy as np
import pytest

from heard.engine._model import model
from heard.engine._sparse import char_grams, pruned, word_grams


def test_word_grams_are_lowercased_unigrams_and_bigrams_of_two_letter_words() -> None:
    # as TfidfVectorizer(ngram_range=(1, 2)).build_analyzer() gives them
    assert sorted(word_grams("I am SO annoyed, again")) == sorted(
        ["am", "so", "annoyed", "again", "am so", "so annoyed", "annoyed again"]
    )


def test_char_grams_pad_each_word_and_count_a_short_word_once() -> None:
    # as TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5)).build_analyzer() gives them
    assert sorted(char_grams("Ab  cd!")) == sorted(
        [" a", "ab", "b ", " ab", "ab ", " ab ", " c", "cd", "d!", "! ", " cd", "cd!", "d! ",
         " cd!", "cd! ", " cd! "]
    )  # fmt: skip


@pytest.mark.parametrize("text", ["", "ok", "Thank you so much!!", "zzzzqqqq xxyy"])
def test_emotion_scores_are_a_distribution_and_labels_are_logits(text: str) -> None:
    scores = model(1).ngrams.scores(text)
    assert scores.emotion.shape == (7,)
    assert np.exp(scores.emotion).sum() == pytest.approx(1.0)
    assert scores.labels.shape == (28,)


def test_a_word_seen_again_gives_the_same_features() -> None:
    # the per-word cache of character n-gram columns must not change the features
    ngrams = model(1).ngrams
    first = ngrams.features("refund refunded refund")
    again = ngrams.features("refund refunded refund")
    assert np.array_equal(first[0], again[0]) and np.allclose(first[1], again[1])


def test_pruning_keeps_each_labels_largest_weights() -> None:
    coef = np.array([[0.1, -3.0, 0.2, 2.0], [5.0, 0.0, -0.1, 0.3]])
    kept = pruned(coef, keep=0.5)
    assert list(zip(kept["label_rows"], kept["label_columns"], strict=True)) == [
        (0, 1), (0, 3), (1, 0), (1, 3)
    ]  # fmt: skip
    assert np.allclose(kept["label_values"], [-3.0, 2.0, 5.0, 0.3])


def test_the_label_head_reads_gratitude_from_thanks() -> None:
    shipped = model(1)
    labels = shipped.meta["labels"]
    logits = shipped.ngrams.scores("Thank you so much, that is very kind of you!").labels
    assert labels[int(np.argmax(logits))] == "gratitude"
