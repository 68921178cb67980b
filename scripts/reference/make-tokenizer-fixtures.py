"""Trains the tiny tokenizers the tokenizer tests load, and records what the reference libraries make of them.

Run from the project root:  pip install tokenizers sentencepiece && python scripts/reference/make-tokenizer-fixtures.py
Outputs go to src/plugins/tokenizers/fixtures/:
  bpe.tokenizer.json, wordpiece.tokenizer.json, unigram.tokenizer.json   (Hugging Face tokenizers)
  unigram.model, bpe.model                                               (SentencePiece)
  <name>.expected.json  the ids, tokens and decoded text the Python library gives for each test text.
The corpus is written here, so the outputs depend on nothing outside this script.
"""
import json
import pathlib

import sentencepiece as spm
from tokenizers import Tokenizer, decoders, models, normalizers, pre_tokenizers, processors, trainers

OUT = pathlib.Path(__file__).resolve().parents[2] / "src" / "plugins" / "tokenizers" / "fixtures"

SUBJECTS = ["the model", "a small tokenizer", "the metric", "our data loader", "every plugin", "the browser", "this run"]
VERBS = ["reads", "writes", "scores", "streams", "loads", "splits", "counts", "merges"]
OBJECTS = ["the whole file", "each line", "a batch of rows", "many references", "the test set", "unicode text", "numbers like 3.14"]
EXTRA = [
    "Grüße aus Köln, naïve café, déjà vu.",
    "我爱自然语言处理。机器学习很有趣。",
    "Hello world! Hello, hello world?",
    "The quick brown fox jumps over the lazy dog.",
    "Plugboard loads plugins as ES modules from a manifest.",
    "Numbers: 1, 22, 333, 4444 and 2,718 and 3.14159.",
    "Emoji 🙂 and symbols & < > ( ) [ ] { } # @ % * + = / \\ | ~ ^ $",
]
CORPUS = [f"{s} {v} {o}." for s in SUBJECTS for v in VERBS for o in OBJECTS] + EXTRA * 5

TEXTS = [
    "Hello world",
    "The quick brown fox jumps over the lazy dog.",
    "Grüße aus Köln — naïve café",
    "我爱自然语言处理",
    "🙂 ok",
    "  multiple   spaces\tand\ttabs",
    "",
    "numbers 3.14159 and 2,718",
    "unseen words: zyxwvut qqq",
]


def hf_expected(tokenizer: Tokenizer) -> list:
    out = []
    for text in TEXTS:
        encoding = tokenizer.encode(text)
        out.append(
            {
                "text": text,
                "ids": encoding.ids,
                "tokens": encoding.tokens,
                "decoded": tokenizer.decode(encoding.ids),
                "ids_without_special": tokenizer.encode(text, add_special_tokens=False).ids,
            }
        )
    return out


def save_hf(name: str, tokenizer: Tokenizer) -> None:
    tokenizer.save(str(OUT / f"{name}.tokenizer.json"))
    write_json(f"{name}.tokenizer.expected.json", hf_expected(Tokenizer.from_file(str(OUT / f"{name}.tokenizer.json"))))


def write_json(name: str, value) -> None:
    (OUT / name).write_text(json.dumps(value, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def bpe() -> Tokenizer:
    tokenizer = Tokenizer(models.BPE())
    tokenizer.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tokenizer.decoder = decoders.ByteLevel()
    tokenizer.post_processor = processors.ByteLevel(trim_offsets=True)
    trainer = trainers.BpeTrainer(vocab_size=400, special_tokens=["<|endoftext|>"], initial_alphabet=pre_tokenizers.ByteLevel.alphabet())
    tokenizer.train_from_iterator(CORPUS, trainer)
    return tokenizer


def wordpiece() -> Tokenizer:
    tokenizer = Tokenizer(models.WordPiece(unk_token="[UNK]"))
    tokenizer.normalizer = normalizers.BertNormalizer(lowercase=True, strip_accents=True, clean_text=True, handle_chinese_chars=True)
    tokenizer.pre_tokenizer = pre_tokenizers.BertPreTokenizer()
    tokenizer.decoder = decoders.WordPiece(prefix="##")
    trainer = trainers.WordPieceTrainer(vocab_size=300, special_tokens=["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"])
    tokenizer.train_from_iterator(CORPUS, trainer)
    cls, sep = tokenizer.token_to_id("[CLS]"), tokenizer.token_to_id("[SEP]")
    tokenizer.post_processor = processors.TemplateProcessing(single="[CLS] $A [SEP]", pair="[CLS] $A [SEP] $B:1 [SEP]:1", special_tokens=[("[CLS]", cls), ("[SEP]", sep)])
    return tokenizer


def unigram() -> Tokenizer:
    tokenizer = Tokenizer(models.Unigram())
    tokenizer.normalizer = normalizers.NFKC()
    tokenizer.pre_tokenizer = pre_tokenizers.Metaspace()
    tokenizer.decoder = decoders.Metaspace()
    trainer = trainers.UnigramTrainer(vocab_size=200, special_tokens=["<unk>", "<s>", "</s>"], unk_token="<unk>")
    tokenizer.train_from_iterator(CORPUS, trainer)
    return tokenizer


def sentencepiece(name: str, model_type: str, vocab_size: int, normalization: str) -> None:
    prefix = OUT / name
    spm.SentencePieceTrainer.train(
        sentence_iterator=iter(CORPUS),
        model_prefix=str(prefix),
        model_type=model_type,
        vocab_size=vocab_size,
        character_coverage=1.0,
        byte_fallback=model_type == "bpe",
        normalization_rule_name=normalization,
        num_threads=1,
        minloglevel=2,
    )
    (OUT / f"{name}.vocab").unlink()
    processor = spm.SentencePieceProcessor(model_file=str(prefix) + ".model")
    write_json(
        f"{name}.expected.json",
        [
            {
                "text": text,
                "ids": processor.encode(text),
                "pieces": processor.encode(text, out_type=str),
                "decoded": processor.decode(processor.encode(text)),
            }
            for text in TEXTS
        ],
    )


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    save_hf("bpe", bpe())
    save_hf("wordpiece", wordpiece())
    save_hf("unigram", unigram())
    # nmt_nfkc (the default) carries a 240 KB normalisation table; the BPE model uses identity to stay small.
    sentencepiece("sp-unigram", "unigram", 150, "nmt_nfkc")
    sentencepiece("sp-bpe", "bpe", 400, "identity")
    print(f"wrote tokenizer fixtures to {OUT}")


if __name__ == "__main__":
    main()
