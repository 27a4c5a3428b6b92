"""The n-gram half of the model extracts the n-grams scikit-learn's analyzers extract."""

from __future__ import annotations

import numpy as np
import pytest

from heard.engine._model import model
from heard.engine._sparse import char_grams, word_grams


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
def test_log_probabilities_are_a_distribution(text: str) -> None:
    log_p = model(1).ngrams.log_probabilities(text)
    assert log_p.shape == (7,)
    assert np.exp(log_p).sum() == pytest.approx(1.0)
