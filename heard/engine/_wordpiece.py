"""BERT's uncased WordPiece tokenizer in plain Python: the runtime needs no tokenizer package.

It follows the `BertTokenizer` the encoder was trained with (clean text, split CJK characters,
lower-case, strip accents, split on whitespace and punctuation, greedy longest-match word
pieces); `scripts/train_engine.py` checks that it gives the same ids as the `tokenizers` package
on every GoEmotions text before it exports a model.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_MAX_WORD = 100  # longer "words" become [UNK], as in BERT


class WordPiece:
    def __init__(self, vocab: list[str]) -> None:
        self._ids = {token: i for i, token in enumerate(vocab)}
        self.cls, self.sep, self.unk = (self._ids[t] for t in ("[CLS]", "[SEP]", "[UNK]"))
        self._word_ids = lru_cache(maxsize=65536)(self._pieces)

    def encode(self, text: str, max_tokens: int) -> list[int]:
        """[CLS] word pieces [SEP], cut to `max_tokens` ids in all."""
        ids = [self.cls]
        for word in _basic_tokens(text):
            ids += self._word_ids(word)
            if len(ids) >= max_tokens - 1:
                break
        return [*ids[: max_tokens - 1], self.sep]

    def _pieces(self, word: str) -> tuple[int, ...]:
        if len(word) > _MAX_WORD:
            return (self.unk,)
        pieces = []
        start = 0
        while start < len(word):
            for end in range(len(word), start, -1):
                piece = word[start:end] if start == 0 else "##" + word[start:end]
                if piece in self._ids:
                    pieces.append(self._ids[piece])
                    start = end
                    break
            else:
                return (self.unk,)
        return tuple(pieces)


_ASCII_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_ASCII_TOKEN = re.compile(r"[a-z0-9]+|[!-/:-@\[-`{-~]")


def _basic_tokens(text: str) -> list[str]:
    if text.isascii():  # most messages: the same split, by one regular expression
        return _ASCII_TOKEN.findall(_ASCII_CONTROL.sub("", text.lower()))
    chars = []
    for ch in unicodedata.normalize("NFD", text.lower()):
        category = unicodedata.category(ch)
        if ch in "\t\n\r" or category == "Zs":
            chars.append(" ")
        elif ch == "\ufffd" or ch == "\x00" or category in ("Cc", "Cf", "Mn"):
            continue
        elif _is_cjk(ord(ch)) or _is_punctuation(ch, category):
            chars.append(f" {ch} ")
        else:
            chars.append(ch)
    return "".join(chars).split()


def _is_punctuation(ch: str, category: str) -> bool:
    code = ord(ch)
    ascii_punct = 33 <= code <= 47 or 58 <= code <= 64 or 91 <= code <= 96 or 123 <= code <= 126
    return ascii_punct or category.startswith("P")


def _is_cjk(code: int) -> bool:
    return (
        0x4E00 <= code <= 0x9FFF
        or 0x3400 <= code <= 0x4DBF
        or 0x20000 <= code <= 0x2A6DF
        or 0x2A700 <= code <= 0x2B81F
        or 0x2B820 <= code <= 0x2CEAF
        or 0xF900 <= code <= 0xFAFF
        or 0x2F800 <= code <= 0x2FA1F
    )
