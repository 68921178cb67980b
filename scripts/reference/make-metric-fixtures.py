#!/usr/bin/env python3
"""Generates the parity fixtures of Plugboard's built-in metrics from the Python reference libraries.

Rerun from the project root (Python 3.10+), in a virtual environment in the ignored .venv/ folder:

    python3 -m venv .venv
    .venv/bin/pip install "sacrebleu==2.6.0" "rouge-score==0.1.2" "scikit-learn==1.9.1" "nltk==3.10.4" \
        "evaluate==0.4.6" numpy sentencepiece
    git -C EVALUATE_REPO archive a7dd338386a4fae9a1767e05eb9ef9479513d9e8 metrics/exact_match metrics/squad \
        | (mkdir -p .venv/upstream/evaluate && tar -x -C .venv/upstream/evaluate)
    .venv/bin/python scripts/reference/make-metric-fixtures.py --evaluate-metrics .venv/upstream/evaluate/metrics \
        --evaluate-commit a7dd338386a4fae9a1767e05eb9ef9479513d9e8

where EVALUATE_REPO is a clone of the huggingface/evaluate repository. The Hugging Face metrics are not in
the evaluate package: `evaluate.load` fetches them from the Hub, so the script loads them from that
checkout instead (still run by the real evaluate package).

It writes src/plugins/metrics/fixtures/*.json (each well under 1 MB): for every metric a set of named
inputs (predictions and references) and the reference results of those inputs under several options.
Everything is deterministic (fixed seeds, sorted word lists), so rerunning gives the same files.

References used:
- bleu, chrf: sacrebleu 2.x `BLEU(...).corpus_score`, `sentence_bleu`, `CHRF(...).corpus_score`;
- rouge: rouge_score `RougeScorer.score` / `score_multi` F-measures, averaged here with math.fsum / n
  (no bootstrap aggregation);
- porter: nltk `PorterStemmer()` (default NLTK_EXTENSIONS mode) on several thousand words;
- accuracy, f1: scikit-learn `accuracy_score`, `f1_score`;
- exact_match: Hugging Face evaluate's `metrics/exact_match/exact_match.py` (unchanged since commit
  c447fc8), run by `evaluate.load(path).compute(...)`;
- squad: evaluate's `metrics/squad/squad.py`, which runs the official SQuAD v1.1 script
  (`metrics/squad/compute_score.py`; its `normalize_answer` gives the token fixtures);
- ppl, token_accuracy: no library; the formulas are written out below (exp(-sum log p / N) with
  math.fsum; correct / counted positions with -100 ignored, 0.0 when nothing counts, as TRL).
"""

import argparse
import json
import math
import os
import random
import re
import sys

# sacreBLEU reads its folder (where train_flores_stand_ins puts the SentencePiece models) when imported.
os.environ.setdefault("SACREBLEU", os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", ".venv", "sacrebleu"))

import numpy as np
import sacrebleu
import sklearn
from nltk.stem.porter import PorterStemmer
from rouge_score import rouge_scorer
from sacrebleu.metrics import BLEU, CHRF, TER
from sklearn.metrics import accuracy_score, f1_score

EVALUATE_METRICS = None  # set from --evaluate-metrics in main()
ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
OUT = os.path.join(ROOT, "src", "plugins", "metrics", "fixtures")
SEED = 20240607


# --------------------------------------------------------------------------------------------- inputs

EDGE_TEXTS = [
    "",
    "The cat sat on the mat.",
    "the cat is on the mat",
    "Don't stop\u2014believing\u2026 \u00abquoted\u00bb \u201csmart quotes\u201d \u00bfqu\u00e9? \u00a1s\u00ed!",
    "caf\u00e9 na\u00efve r\u00e9sum\u00e9 Z\u00fcrich cafe\u0301",
    "\u6211\u7231\u81ea\u7136\u8bed\u8a00\u5904\u7406\u3002\u4eca\u5929\u5929\u6c14\u5f88\u597d\uff01",
    "\u6211 \u7231 \u81ea\u7136 \u8bed\u8a00 \u5904\u7406 \u3002",
    "\u0130stanbul'da KIRMIZI \u0131\u015f\u0131k \u0130I\u0131i",
    "\u039f\u0394\u039f\u03a3 \u03a3\u03af\u03c3\u03c5\u03c6\u03bf\u03c2 \u03a3\u0391\u03a3. \u03b1\u03a3",
    "1,000,000 people paid $3.50 each on 2020-01-02; pi is 3.14159, e.g. U.S.A. 5-3 10-20",
    "a\x1cb\x1dc\x1ed\x1ff\x85g",
    "line one\nline two\n\nline three",
    "tab\tseparated\u00a0nbsp\u2003emspace\u3000ideographic",
    "<skipped> &quot;quoted&quot; &amp; &lt;tag&gt; hyphen-\nated",
    "emoji \U0001F600 test \U0001D518\U0001D52B\U0001D526 astral",
    "trailing spaces   ",
    "ALL CAPS SHOUTING, REALLY!",
    "the the the the the",
    "Kelvin \u212a sign and \u212bngstr\u00f6m",
    "running runs ran easily fairly generously organizational relational",
    "   ",
    "hello,world.foo bar.baz,qux",
    "U.S. e.g. i.e. etc. Mr. Smith's",
    "An apple a day keeps the doctor away; the end.",
    "\u041f\u0440\u0438\u0432\u0435\u0442 \u043c\u0438\u0440, \u043a\u0430\u043a \u0434\u0435\u043b\u0430?",
    "x",
    "{braces} [brackets] (parens) |pipe| ~tilde^ `tick` _under_ @at #hash %pc *star +plus =eq",
    "ends with period.",
    "ends with period .",
    "Ｆｕｌｌｗｉｄｔｈ ＡＢＣ １２３",
]


def long_line(rng, words):
    return " ".join(rng.choice(words) for _ in range(1500)) + "."


def prose_sentences():
    """English sentences from scikit-learn's bundled dataset descriptions (real prose, always installed)."""
    folder = os.path.join(os.path.dirname(sklearn.__file__), "datasets", "descr")
    text = " ".join(open(os.path.join(folder, name), encoding="utf-8").read() for name in sorted(os.listdir(folder)) if name.endswith(".rst"))
    text = re.sub(r"[=*\-`|]{3,}", " ", text)
    parts = re.split(r"(?<=[.!?])\s+", " ".join(text.split()))
    return [p for p in parts if 20 <= len(p) <= 300]


def perturb(rng, sentence, words):
    tokens = sentence.split()
    out = []
    for token in tokens:
        roll = rng.random()
        if roll < 0.08:
            continue
        if roll < 0.16:
            out.append(rng.choice(words))
        elif roll < 0.20:
            out.append(token.upper())
        elif roll < 0.23:
            out.append(token + rng.choice([",", ".", "!", "?", ";", "\u2026", "\u201d"]))
        else:
            out.append(token)
        if rng.random() < 0.04:
            out.append(rng.choice(words))
    if len(out) > 3 and rng.random() < 0.2:
        i = rng.randrange(len(out) - 1)
        out[i], out[i + 1] = out[i + 1], out[i]
    if rng.random() < 0.05:
        out.append(rng.choice(["caf\u00e9", "\u6211\u4eec", "na\u00efve", "\u0130zmir", "\u03a3\u03bf\u03c6\u03af\u03b1", "3,5", "1.000", "-"]))
    joiner = "\n" if rng.random() < 0.1 else " "
    return joiner.join(out)


def text_inputs():
    """Named inputs shared by bleu, chrf and rouge: edge rows (one corpus each and all together) and a random corpus."""
    rng = random.Random(SEED)
    sentences = prose_sentences()
    words = sorted({w for s in sentences for w in s.split()})
    edge = EDGE_TEXTS + [long_line(rng, words)]
    inputs = {}
    # Every edge text against a few partners, one row per corpus: empty hypothesis, empty reference,
    # no n-gram match, identical strings and a multi-reference row with a null among the references.
    pairs = []
    for i, text in enumerate(edge):
        partner = edge[(i + 1) % len(edge)]
        pairs.append((text, [text]))
        pairs.append((text, [partner]))
        pairs.append((partner, [text, None, edge[(i + 5) % len(edge)]]))
    pairs.append(("", [""]))
    pairs.append(("a b c d", ["e f g h"]))
    pairs.append(("the cat", ["the cat sat on the mat", "the cat"]))
    pairs.append(("the cat sat", ["", "the cat"]))
    for k, (hyp, refs) in enumerate(pairs):
        inputs[f"edge-row-{k}"] = {"predictions": [hyp], "references": [refs if len(refs) > 1 else refs[0]]}
    inputs["edge-corpus"] = {
        "predictions": [hyp for hyp, _ in pairs],
        "references": [refs if len(refs) > 1 else refs[0] for _, refs in pairs],
    }
    predictions, references = [], []
    for _ in range(300):
        reference = rng.choice(sentences)
        count = rng.choice([1, 1, 1, 2, 3])
        refs = [reference] + [perturb(rng, reference, words) for _ in range(count - 1)]
        if count > 1 and rng.random() < 0.3:
            refs[rng.randrange(1, count)] = None
        predictions.append(perturb(rng, reference, words))
        references.append(refs if count > 1 else reference)
    inputs["random-corpus"] = {"predictions": predictions, "references": references}
    inputs.update(generated_inputs())
    return inputs


# Pieces of generated text in several scripts, with heavy and unusual punctuation, for the tokenizers.
ZH_WORDS = ["\u6211\u4eec", "\u81ea\u7136", "\u8bed\u8a00", "\u5904\u7406", "\u4eca\u5929", "\u5929\u6c14", "\u5f88\u597d", "\u673a\u5668", "\u7ffb\u8bd1",
            "\u5317\u4eac", "\u5927\u5b66", "\u5b66\u751f", "\u8001\u5e08", "\u4e66", "\u770b", "\u7684", "\u4e86", "\u662f", "\u4e0d", "\u5728",
            "\U00020000", "\U0002a6d6", "\u2f81", "\u3400", "\u9fa6", "\uf900"]
ZH_PUNCT = ["\u3002", "\uff0c", "\uff01", "\uff1f", "\u3001", "\uff1a", "\uff1b", "\u201c", "\u201d", "\u300a", "\u300b", "\uff08", "\uff09", "\u3010", "\u3011", "\u2014\u2014", "\u2026\u2026", "\u00b7"]
OTHER_WORDS = ["caf\u00e9", "na\u00efve", "\u041c\u043e\u0441\u043a\u0432\u0430", "\u0391\u03b8\u03ae\u03bd\u03b1", "\u3053\u3093\u306b\u3061\u306f", "\u30ab\u30bf\u30ab\u30ca", "\ud55c\uad6d\uc5b4",
               "\u0627\u0644\u0639\u0631\u0628\u064a\u0629", "\u0939\u093f\u0928\u094d\u0926\u0940", "\U0001F600", "\U0001F44D\U0001F3FD", "GPU", "3.14", "1,000", "2020-01-02", "5-3", "e.g.", "U.S.A.",
               "don't", "it's", "\uff21\uff22\uff23", "\uff11\uff12\uff13", "x\u00b2", "\u00bd", "\u2460", "\u0663\u0664", "NASA's", "'s"]
PUNCT = [".", ",", "!", "?", ";", ":", "...", "--", "-", "(", ")", "[", "]", "{", "}", "\"", "'", "`", "&", "&amp;", "&quot;", "@", "#", "%", "$", "\u20ac", "\u00a3", "\u00a5", "\u00b1", "\u00d7",
         "\u00f7", "\u00a9", "\u00ae", "\u2122", "\u00b0", "\u00bf", "\u00a1", "\u00ab", "\u00bb", "\u2018", "\u2019", "\u201e", "\u2039", "\u203a", "\u00a7", "\u00b6", "*", "/", "\\", "|", "~", "^", "_", "+", "=", "<", ">"]


def generated_line(rng, style):
    """One generated segment: Chinese, mixed scripts, or punctuation-heavy Latin text."""
    words = []
    for _ in range(rng.randint(1, 18)):
        roll = rng.random()
        if style == "zh":
            words.append(rng.choice(ZH_WORDS) if roll < 0.75 else rng.choice(ZH_PUNCT + OTHER_WORDS[:6]))
        elif style == "mixed":
            words.append(rng.choice(OTHER_WORDS) if roll < 0.5 else rng.choice(ZH_WORDS) if roll < 0.7 else rng.choice(PUNCT))
        else:
            words.append(rng.choice(PUNCT) if roll < 0.45 else rng.choice(["the", "cat", "sat", "on", "mat", "A", "B", "42", "3.5", "9,000", "x-1"]))
    # Chinese is written without spaces; the others mostly with them, sometimes glued.
    joiner = "" if style == "zh" and rng.random() < 0.7 else " "
    text = joiner.join(words)
    if style == "punct" and rng.random() < 0.5:
        text = text.replace(" ", "", rng.randint(1, 4))
    return text


def perturb_generated(rng, line, style):
    """A variant of `line`: a few characters or words changed, dropped, swapped or added."""
    units = list(line) if style == "zh" else line.split(" ")
    out = []
    for unit in units:
        roll = rng.random()
        if roll < 0.1:
            continue
        if roll < 0.2:
            out.append(generated_line(rng, style).split(" ")[0] if style != "zh" else rng.choice(ZH_WORDS))
        else:
            out.append(unit)
        if rng.random() < 0.05:
            out.append(rng.choice(PUNCT))
    if len(out) > 3 and rng.random() < 0.3:
        i = rng.randrange(len(out) - 1)
        out[i], out[i + 1] = out[i + 1], out[i]
    return ("" if style == "zh" else " ").join(out)


def generated_inputs():
    """Three generated corpora (Chinese, mixed scripts, punctuation-heavy), 120 rows each, some with two references."""
    rng = random.Random(SEED + 7)
    inputs = {}
    for style in ["zh", "mixed", "punct"]:
        predictions, references = [], []
        for _ in range(120):
            reference = generated_line(rng, style)
            prediction = perturb_generated(rng, reference, style)
            if rng.random() < 0.25:
                references.append([reference, perturb_generated(rng, reference, style)])
            else:
                references.append(reference)
            predictions.append(prediction)
        inputs[f"generated-{style}"] = {"predictions": predictions, "references": references}
    return inputs


def streams(references):
    """Turns per-row references (a string or a list with None) into sacrebleu's reference streams."""
    rows = [r if isinstance(r, list) else [r] for r in references]
    width = max(len(r) for r in rows)
    return [[row[k] if k < len(row) else None for row in rows] for k in range(width)]


# ------------------------------------------------------------------------------------------ bleu, chrf

BLEU_OPTIONS = [
    {},
    {"lowercase": True},
    {"tokenize": "none"},
    {"smooth_method": "floor"},
    {"smooth_method": "floor", "smooth_value": 0.5},
    {"smooth_method": "add-k"},
    {"smooth_method": "none"},
    {"effective_order": True},
    {"max_ngram_order": 2},
    {"tokenize": "intl"},
    {"tokenize": "zh"},
    {"tokenize": "char"},
    {"tokenize": "flores101"},
    {"tokenize": "flores200"},
    {"tokenize": "intl", "lowercase": True, "smooth_method": "add-k", "smooth_value": 0.5, "effective_order": True},
]


def bleu_fixture(inputs):
    cases = []
    for name, data in inputs.items():
        for options in BLEU_OPTIONS:
            kwargs = dict(options)
            metric = BLEU(**kwargs)
            result = metric.corpus_score(data["predictions"], streams(data["references"]))
            expected = {
                "signature": str(metric.get_signature()),
                "score": result.score,
                "counts": list(result.counts),
                "totals": list(result.totals),
                "precisions": list(result.precisions),
                "bp": result.bp,
                "sys_len": result.sys_len,
                "ref_len": result.ref_len,
            }
            cases.append({"input": name, "options": options, "expected": expected})
        sentence = [
            sacrebleu.sentence_bleu(hyp, [r for r in (refs if isinstance(refs, list) else [refs]) if r is not None]).score
            for hyp, refs in zip(data["predictions"], data["references"])
        ]
        cases.append({"input": name, "options": {"sentence": True}, "expected": {"sentences": sentence}})
    return cases


CHRF_OPTIONS = [
    {},
    {"word_order": 2},
    {"lowercase": True},
    {"whitespace": True},
    {"eps_smoothing": True},
    {"beta": 1},
    {"char_order": 4, "word_order": 1},
]


def chrf_fixture(inputs):
    cases = []
    for name, data in inputs.items():
        for options in CHRF_OPTIONS:
            metric = CHRF(**options)
            result = metric.corpus_score(data["predictions"], streams(data["references"]))
            cases.append({"input": name, "options": options, "expected": {"score": result.score, "signature": str(metric.get_signature())}})
    return cases


TER_OPTIONS = [
    {},
    {"case_sensitive": True},
    {"normalized": True},
    {"no_punct": True},
    {"normalized": True, "asian_support": True},
    {"no_punct": True, "asian_support": True},
    {"normalized": True, "no_punct": True, "asian_support": True, "case_sensitive": True},
]


def ter_fixture(inputs):
    cases = []
    for name, data in inputs.items():
        for options in TER_OPTIONS:
            metric = TER(**options)
            result = metric.corpus_score(data["predictions"], streams(data["references"]))
            expected = {"score": result.score, "num_edits": result.num_edits, "ref_length": result.ref_length, "signature": str(metric.get_signature())}
            cases.append({"input": name, "options": options, "expected": expected})
    return cases


def train_flores_stand_ins(inputs):
    """Trains two small SentencePiece models on the text inputs and installs them where sacreBLEU looks for its
    flores101 and flores200 models, so BLEU(tokenize="flores101"/"flores200") runs sacreBLEU's own SPM path on
    them (the real FLORES models are large downloads). The models are saved as fixtures for the parity tests."""
    import io
    import shutil

    import sentencepiece as spm
    from sacrebleu.tokenizers.tokenizer_spm import SPM_MODELS

    texts = sorted({t for d in inputs.values() for t in d["predictions"] + [r for refs in d["references"] for r in (refs if isinstance(refs, list) else [refs]) if r]})
    models = os.path.join(os.environ["SACREBLEU"], "models")
    os.makedirs(models, exist_ok=True)
    # The second keeps SentencePiece's default NFKC normalisation (a 240 KB table); the first does without.
    for key, vocab_size, normalization in [("flores101", 400, "identity"), ("flores200", 700, "nmt_nfkc")]:
        model = io.BytesIO()
        spm.SentencePieceTrainer.train(
            sentence_iterator=iter(texts), model_writer=model, model_type="unigram", vocab_size=vocab_size,
            character_coverage=1.0, num_threads=1, minloglevel=2, normalization_rule_name=normalization,
        )
        path = os.path.join(OUT, f"{key}-stand-in.model")
        with open(path, "wb") as handle:
            handle.write(model.getvalue())
        shutil.copyfile(path, os.path.join(models, os.path.basename(SPM_MODELS[key]["url"])))


# --------------------------------------------------------------------------------------------- rouge

def rouge_fixture(inputs):
    types = ["rouge1", "rouge2", "rougeL", "rougeLsum"]
    cases = []
    for name, data in inputs.items():
        for options in [{}, {"use_stemmer": True}]:
            scorer = rouge_scorer.RougeScorer(types, use_stemmer=options.get("use_stemmer", False))
            per_type = {t: [] for t in types}
            for prediction, refs in zip(data["predictions"], data["references"]):
                if isinstance(refs, list):
                    scores = scorer.score_multi([r for r in refs if r is not None], prediction)
                else:
                    scores = scorer.score(refs, prediction)
                for t in types:
                    per_type[t].append(scores[t].fmeasure)
            expected = {t: math.fsum(values) / len(values) for t, values in per_type.items()}
            cases.append({"input": name, "options": options, "expected": expected, "rows": per_type})
    return cases


def porter_fixture(inputs):
    """NLTK Porter stems of several thousand words: prose tokens, NLTK's own doctest vocabulary, tricky words, generated suffixes."""
    import nltk

    words = set()
    tokenize = re.compile(r"[a-z0-9]+")
    for data in inputs.values():
        for text in data["predictions"] + [r for refs in data["references"] for r in (refs if isinstance(refs, list) else [refs]) if r]:
            words.update(tokenize.findall(text.lower()))
    folder = os.path.join(os.path.dirname(nltk.__file__), "test")
    doctest_words = set()
    for file_name in sorted(os.listdir(folder)):
        if file_name.endswith(".doctest"):
            doctest_words.update(re.findall(r"[a-z]{3,}", open(os.path.join(folder, file_name), encoding="utf-8").read().lower()))
    words.update(sorted(doctest_words)[:4000])
    words.update(
        "sky skies dying lying tying news innings inning outings outing cannings canning howe proceed exceed succeed "
        "ties dies lies cries flies tried cried died tied spied agreed feed bleed plastered motoring sing conflated "
        "troubled sized hopping tanned falling hissing fizzed failing filing happy sky fly cry by say yellow toy "
        "relational conditional rational valenci hesitanci digitizer conformabli radicalli differentli vileli "
        "analogousli vietnamization predication operator feudalism decisiveness hopefulness callousness formaliti "
        "sensitiviti sensibiliti triplicate formative formalize electriciti electrical hopeful goodness revival "
        "allowance inference airliner gyroscopic adjustable defensible irritant replacement adjustment dependent "
        "adoption homologou communism activate angulariti homologous effective bowdlerize probate rate cease "
        "controll roll generalli fulli carefulli logi analogi apologi archaeology yy yyy ayy ayyy syzygy "
        "generously organizational easily fairly running ran runs ponies caresses cats feed agreed disabled "
        "matting mating meeting milling messing meetings oed aed ied eed ing ed s ss sses".split()
    )
    rng = random.Random(SEED + 1)
    suffixes = [
        "ational", "tional", "enci", "anci", "izer", "bli", "alli", "entli", "eli", "ousli", "ization", "ation",
        "ator", "alism", "iveness", "fulness", "ousness", "aliti", "iviti", "biliti", "fulli", "logi", "icate",
        "ative", "alize", "iciti", "ical", "ful", "ness", "al", "ance", "ence", "er", "ic", "able", "ible", "ant",
        "ement", "ment", "ent", "sion", "tion", "ou", "ism", "ate", "iti", "ous", "ive", "ize", "ies", "ied",
        "eed", "ed", "ing", "sses", "s", "y", "ly", "e", "ll", "ings", "ers", "ness", "ingly", "edly",
    ]
    letters = "bcdfghjklmnprstvwxyz"
    for _ in range(2500):
        stem = "".join(rng.choice(letters) + rng.choice("aeiouy") for _ in range(rng.randint(1, 3)))
        if rng.random() < 0.3:
            stem += rng.choice(letters)
        words.add(stem + rng.choice(suffixes))
    words = sorted(w for w in words if w)
    stemmer = PorterStemmer()
    return {"words": words, "stems": [stemmer.stem(w) for w in words]}


TOKENIZER_EXTRAS = [
    "a.,5", "a.,b", "5-3", "x.y.", "1,000.50,", "..a", "a..", "a...b", ".5", "5.", ",5,", "-5-", "5--3", "a-5", "(5.5)",
    "3.-", "e.g.,", "U.S.A.", "$1,000.00-$2,000", "\u00e9.\u00e9", "\U0001F600.", ".\U0001F600", "a\u00a0.b", "a\x1c.b",
    "&amp;&lt;&gt;&quot;&apos;", "x&amp;y", "<skipped>a<skipped>", "a-\nb", "a\nb", "a\r\nb", "tab\t.x", "'quoted'", "don't",
]


def tokenizer_fixture(inputs):
    """sacreBLEU's 13a output and rouge_score's tokens (with and without the stemmer) for every distinct text."""
    from rouge_score import tokenize as rouge_tokenize
    from sacrebleu.tokenizers.tokenizer_13a import Tokenizer13a

    texts = set(TOKENIZER_EXTRAS)
    for data in inputs.values():
        texts.update(data["predictions"])
        texts.update(r for refs in data["references"] for r in (refs if isinstance(refs, list) else [refs]) if r is not None)
    texts = sorted(texts)
    tokenizer = Tokenizer13a()
    stemmer = PorterStemmer()
    return {
        "texts": texts,
        "13a": [tokenizer(t).split(" ") if tokenizer(t) else [] for t in texts],
        "rouge": [rouge_tokenize.tokenize(t, None) for t in texts],
        "rouge_stemmed": [rouge_tokenize.tokenize(t, stemmer) for t in texts],
    }


def sacrebleu_tokenizer_fixture(inputs):
    """sacreBLEU's intl, zh, char and Tercom tokenizers (the last under each TER option set) on every text of
    up to 400 characters: the edge texts, the tokenizer extras and the generated corpora."""
    from sacrebleu.tokenizers.tokenizer_char import TokenizerChar
    from sacrebleu.tokenizers.tokenizer_intl import TokenizerV14International
    from sacrebleu.tokenizers.tokenizer_ter import TercomTokenizer
    from sacrebleu.tokenizers.tokenizer_zh import TokenizerZh

    texts = set(TOKENIZER_EXTRAS) | set(EDGE_TEXTS)
    for name, data in inputs.items():
        if name.startswith("generated-"):
            texts.update(data["predictions"])
            texts.update(r for refs in data["references"] for r in (refs if isinstance(refs, list) else [refs]))
    texts = sorted(t for t in texts if len(t) <= 400)
    return {
        "texts": texts,
        "intl": [TokenizerV14International()(t) for t in texts],
        "zh": [TokenizerZh()(t) for t in texts],
        "char": [TokenizerChar()(t) for t in texts],
        # Keyed by the TER case's options as JSON with sorted keys.
        "tercom": {json.dumps(options, sort_keys=True): [TercomTokenizer(**options)(t) for t in texts] for options in TER_OPTIONS},
    }


# ---------------------------------------------------------------------------------- exact_match, squad

def load_evaluate_metric(name):
    """The real Hugging Face evaluate module `name`, run by the evaluate package from the checkout's metrics folder."""
    import evaluate

    return evaluate.load(os.path.join(EVALUATE_METRICS, name, f"{name}.py"))


def squad_normalize_answer(text):
    """normalize_answer of the checkout's metrics/squad/compute_score.py (the SQuAD v1.1 script), imported as is."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("squad_compute_score", os.path.join(EVALUATE_METRICS, "squad", "compute_score.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.normalize_answer(text)


SHORT_TEXTS = [
    "the cat", "The Cat", "cat", "cat ", " cat", "the cat.", "a cat", "an apple", "The Apple!", "theater",
    "YELLING", "yelling", "agent007", "agent", "", "the", "a", "U.S.", "us", "US", "\u201cquoted\u201d", "quoted",
    "caf\u00e9", "CAF\u00c9", "cafe", "\u0130stanbul", "i\u0307stanbul", "istanbul", "\u039f\u0394\u039f\u03a3",
    "\u03bf\u03b4\u03bf\u03c2", "\u03bf\u03b4\u03bf\u03c3", "3.14", "314", "1,000", "1000", "\u6211\u7231\u4f60",
    "\u6211 \u7231 \u4f60", "tab\tsep", "tab sep", "a\x1cb", "a b", "the\u0301 end", "aé the", "théa", "...",
    "\u00bfqu\u00e9?", "qu\u00e9", "Kelvin \u212a", "kelvin k", "the the the", "Norman Conquest", "the Normans",
    "nul\x00", "nul", "nul\x00!", "nu\x00l", "!!", "?", "??", "123", "-1", "", "The", "  ",
]

# Rows whose strings normalise to "" (punctuation, digits, a removed pattern), some identical and some not:
# evaluate counts every pair of equal normalised strings as a match, empty or not.
EMPTIED = [("!!", "?"), ("??", "??"), ("", "..."), ("123", ""), ("12", "3."), ("the", "the "), ("", ""), ("!", "a"), ("nul\x00", "nul")]


def exact_match_fixture():
    rng = random.Random(SEED + 2)
    pairs = [(a, b) for a in SHORT_TEXTS for b in SHORT_TEXTS if a.lower().strip(". ")[:1] == b.lower().strip(". ")[:1]]
    pairs += [(a, a) for a in SHORT_TEXTS]
    rng.shuffle(pairs)
    inputs = {
        "pairs": {"predictions": [a for a, _ in pairs], "references": [b for _, b in pairs]},
        "hf-examples": {
            "predictions": ["cat?", "theater", "yelling", "agent"],
            "references": ["the cat", "theater", "YELLING", "agent007"],
        },
        "emptied": {"predictions": [a for a, _ in EMPTIED], "references": [b for _, b in EMPTIED]},
    }
    option_sets = [
        {},
        {"ignore_case": True},
        {"ignore_punctuation": True},
        {"ignore_numbers": True},
        {"ignore_case": True, "ignore_punctuation": True, "ignore_numbers": True},
        {"regexes_to_ignore": ["the ", "yell"], "ignore_case": True, "ignore_punctuation": True},
        {"regexes_to_ignore": ["the ", "yell", "YELL"], "ignore_case": True, "ignore_punctuation": True, "ignore_numbers": True},
        {"regexes_to_ignore": ["[aeiou]", "^ +", " +$"]},
        {"regexes_to_ignore": ["[0-9]+"], "ignore_case": True},
        {"regexes_to_ignore": ["the ?", "[a-z]+"]},
        # Patterns run on the strings as given, trailing NULs and all; NumPy drops those NULs only after.
        {"regexes_to_ignore": ["l$", "\x00"]},
        {"regexes_to_ignore": ["l$"]},
    ]
    metric = load_evaluate_metric("exact_match")
    cases = []
    for name, data in inputs.items():
        for options in option_sets:
            expected = float(metric.compute(predictions=data["predictions"], references=data["references"], **options)["exact_match"])
            cases.append({"input": name, "options": options, "expected": expected})
    return {"inputs": inputs, "cases": cases}


def squad_fixture():
    rng = random.Random(SEED + 3)
    predictions, references = [], []
    for text in SHORT_TEXTS:
        predictions.append(text)
        references.append([rng.choice(SHORT_TEXTS) for _ in range(rng.randint(1, 3))] + [text if rng.random() < 0.3 else rng.choice(SHORT_TEXTS)])
    sentences = prose_sentences()
    words = sorted({w for s in sentences for w in s.split()})
    for _ in range(200):
        sentence = rng.choice(sentences).split()
        start = rng.randrange(len(sentence))
        gold = " ".join(sentence[start : start + rng.randint(1, 6)])
        golds = [gold] + [" ".join(sentence[max(0, start - 1) : start + rng.randint(1, 4)]) for _ in range(rng.randint(0, 2))]
        predictions.append(perturb(rng, gold, words))
        references.append(golds)
    edge_rng = random.Random(SEED + 4)
    edge_golds = [edge_rng.sample(SQUAD_EDGE_TEXTS, edge_rng.randint(1, 3)) for _ in SQUAD_EDGE_TEXTS]
    inputs = {
        "mixed": {"predictions": predictions, "references": references},
        "article-only": {"predictions": ["the", "a", "an apple", "The"], "references": [["the"], ["a"], ["apple"], ["a"]]},
        "edge-cases": {"predictions": SQUAD_EDGE_TEXTS, "references": [[text] + golds for text, golds in zip(SQUAD_EDGE_TEXTS, edge_golds)]},
        "long-answers": squad_long_answers(),
    }
    metric = load_evaluate_metric("squad")

    def compute(data):
        # evaluate's squad takes SQuAD records: an id per question, the gold answers under answers.text.
        predictions = [{"id": str(i), "prediction_text": p} for i, p in enumerate(data["predictions"])]
        references = [{"id": str(i), "answers": {"text": golds, "answer_start": [0] * len(golds)}} for i, golds in enumerate(data["references"])]
        return {key: float(value) for key, value in metric.compute(predictions=predictions, references=references).items()}

    cases = [{"input": name, "options": {}, "expected": compute(d)} for name, d in inputs.items()]
    # normalize_answer(text).split() of each edge case, to check the tokens themselves.
    normalized = [[text, squad_normalize_answer(text).split()] for text in SQUAD_EDGE_TEXTS]
    return {"inputs": inputs, "cases": cases, "normalized": normalized}


# Normalisation edge cases: articles found only after punctuation is deleted ("t.he"), joined by deleted
# punctuation ("the-end"), or next to characters that are not word characters to Python's Unicode `\b`
# (combining marks, symbols, emoji, format characters, controls) or are (letters and numbers of every script).
SQUAD_EDGE_TEXTS = [
    "the-end", "t.he end", "a.b", "_the_", "a_b", "a__", "the.the.the", "the the", "x the y", "THE", "An", "AN apple",
    "the\u0301 end", "a\u0300", "aé the", "théa", "éthe", "the2", "2the", "the½", "the²", "the①", "the™", "\u201cthe\u201d",
    "the\u00a0end", "the\u200bend", "\ufeffthe", "nu\x00the", "the\x1cend", "\x85the", "the\u2028end", "the\u180eend",
    "the\x7fend", "the\x0bend", "\u03a4\u0397\u0395", "\u0130the", "\u212athe", "\u03a3\u0391\u03a3 the", "the\U0001F600",
    "\U0001D400the", "the\U0001D7CE", "\u01c5the", "\u02b0the", "\u3007the", "\u4e09the", "a\u093e", "\u0928\u092e\u0938\u094d\u0924\u0947 the",
    "ﬁthe", "the·end", "the\u0640end", "the\u0663", "the\tcat\nthe\r\ndog", "  ", "", "...", "¿the?", "la the le", "an-an-an",
    "The Normans' the", "U.S. the A.N. T.H.E.",
]


def squad_long_answers():
    """Answers of up to 120 tokens with repeats, past the size where shared tokens are counted pairwise."""
    rng = random.Random(SEED + 5)
    vocabulary = ["alpha", "beta", "gamma", "delta", "the", "a", "Beta", "gamma.", "epsilon", "\u00e9t\u00e9"]
    predictions, references = [], []
    for _ in range(20):
        predictions.append(" ".join(rng.choice(vocabulary) for _ in range(rng.randint(60, 120))))
        references.append([" ".join(rng.choice(vocabulary) for _ in range(rng.randint(40, 120))) for _ in range(rng.randint(1, 3))])
    return {"predictions": predictions, "references": references}


# ---------------------------------------------------------------------------------------- accuracy, f1

def classification_fixture():
    rng = random.Random(SEED + 4)
    inputs = {
        "binary-int": ([rng.choice([0, 1]) for _ in range(300)], None),
        "binary-one-class": ([0, 0, 0, 0], [0, 0, 0, 0]),
        "binary-no-positive-predicted": ([1, 0, 1, 0], [0, 0, 0, 0]),
        "multiclass-int": ([rng.choice([0, 1, 2, 3, 7]) for _ in range(300)], None),
        "multiclass-str": ([rng.choice(["cat", "dog", "bird", "fish"]) for _ in range(250)], None),
        "binary-str": ([rng.choice(["spam", "ham"]) for _ in range(120)], None),
        "label-only-predicted": (["a", "b", "a", "c"], ["a", "a", "a", "a"]),
    }
    data = {}
    for name, (truth, pred) in inputs.items():
        if pred is None:
            labels = sorted(set(truth))
            pred = [t if rng.random() < 0.7 else rng.choice(labels) for t in truth]
        data[name] = {"predictions": pred, "references": truth}
    accuracy_cases = [{"input": n, "options": {}, "expected": accuracy_score(d["references"], d["predictions"])} for n, d in data.items()]
    f1_cases = []
    for name, d in data.items():
        y_true, y_pred = d["references"], d["predictions"]
        labels = set(y_true) | set(y_pred)
        for average in ["micro", "macro", "weighted"]:
            f1_cases.append({"input": name, "options": {"average": average}, "expected": float(f1_score(y_true, y_pred, average=average))})
        if len(labels) <= 2:
            positive = [l for l in sorted(labels)][-1]
            if all(isinstance(l, int) for l in labels) and (1 in labels or len(labels) < 2):
                f1_cases.append({"input": name, "options": {}, "expected": float(f1_score(y_true, y_pred))})
            f1_cases.append({"input": name, "options": {"pos_label": positive}, "expected": float(f1_score(y_true, y_pred, pos_label=positive))})
    return {"accuracy": {"inputs": data, "cases": accuracy_cases}, "f1": {"inputs": data, "cases": f1_cases}}


# ------------------------------------------------------------------------------------ ppl, token_accuracy

def ppl_reference(rows):
    """Corpus PPL = exp(-fsum(all log p) / N); mean_per_sequence = mean over non-empty rows of exp(-mean log p)."""
    all_values = [v for row in rows for v in row]
    tokens = len(all_values)
    nll = -math.fsum(all_values) / tokens
    per_sequence = [math.exp(-math.fsum(row) / len(row)) for row in rows if row]
    return {"score": math.exp(nll), "mean_per_sequence": math.fsum(per_sequence) / len(per_sequence), "nll": nll, "tokens": tokens}


def ppl_fixture():
    rng = random.Random(SEED + 5)
    random_rows = [[math.log(rng.uniform(1e-6, 1.0)) for _ in range(rng.randint(0, 60))] for _ in range(200)]
    inputs = {
        "random": random_rows,
        "confident": [[-1e-12, -0.0, -1e-9], [-0.001]],
        "spread": [[-1e-16, -700.0, -1e-10, -35.5], [-3.0] * 1000],
    }
    return {"inputs": {n: {"predictions": r} for n, r in inputs.items()}, "cases": [{"input": n, "options": {}, "expected": ppl_reference(r)} for n, r in inputs.items()]}


def token_accuracy_fixture():
    rng = random.Random(SEED + 6)
    predictions, references = [], []
    for _ in range(200):
        length = rng.randint(0, 40)
        labels = [rng.randint(0, 50) if rng.random() > 0.2 else -100 for _ in range(length)]
        preds = [l if l != -100 and rng.random() < 0.6 else rng.randint(0, 50) for l in labels]
        predictions.append(preds)
        references.append(labels)
    inputs = {
        "random": {"predictions": predictions, "references": references},
        "all-ignored": {"predictions": [[1, 2], [3]], "references": [[-100, -100], [-100]]},
    }

    def reference(d):
        correct = total = 0
        for preds, labels in zip(d["predictions"], d["references"]):
            for p, l in zip(preds, labels):
                if l != -100:
                    total += 1
                    correct += int(p == l)
        return correct / total if total else 0.0

    return {"inputs": inputs, "cases": [{"input": n, "options": {}, "expected": reference(d)} for n, d in inputs.items()]}


# ------------------------------------------------------------------------------------------------ main

def write(name, payload):
    payload = {"generated_by": "scripts/reference/make-metric-fixtures.py", "versions": VERSIONS, **payload}
    path = os.path.join(OUT, name)
    text = json.dumps(payload, ensure_ascii=False, indent=None, separators=(",", ":"), allow_nan=False)
    with open(path + ".tmp", "w", encoding="utf-8") as handle:
        handle.write(text + "\n")
    os.replace(path + ".tmp", path)
    print(f"{name}: {len(text) / 1024:.0f} KiB", file=sys.stderr)


VERSIONS = {"sacrebleu": sacrebleu.__version__, "scikit-learn": sklearn.__version__, "numpy": np.__version__, "python": sys.version.split()[0]}


def main():
    global EVALUATE_METRICS
    import importlib.metadata as metadata
    import nltk

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--evaluate-metrics", required=True, help="the metrics/ folder of a huggingface/evaluate checkout")
    parser.add_argument("--evaluate-commit", required=True, help="the commit of that checkout, recorded in the fixtures")
    arguments = parser.parse_args()
    EVALUATE_METRICS = os.path.abspath(arguments.evaluate_metrics)
    VERSIONS["evaluate"] = metadata.version("evaluate")
    VERSIONS["evaluate-metrics-commit"] = arguments.evaluate_commit

    VERSIONS["rouge-score"] = metadata.version("rouge-score")
    VERSIONS["nltk"] = nltk.__version__
    os.makedirs(OUT, exist_ok=True)
    inputs = text_inputs()
    # bleu, chrf and rouge share one file of inputs; their cases name an input of it.
    write("text-inputs.json", {"inputs": inputs})
    train_flores_stand_ins(inputs)
    write("bleu.json", {"inputs_file": "text-inputs.json", "cases": bleu_fixture(inputs)})
    write("chrf.json", {"inputs_file": "text-inputs.json", "cases": chrf_fixture(inputs)})
    write("ter.json", {"inputs_file": "text-inputs.json", "cases": ter_fixture(inputs)})
    write("rouge.json", {"inputs_file": "text-inputs.json", "cases": rouge_fixture(inputs)})
    write("porter.json", porter_fixture(inputs))
    write("tokenizers.json", tokenizer_fixture(inputs))
    write("sacrebleu-tokenizers.json", sacrebleu_tokenizer_fixture(inputs))
    write("exact-match.json", exact_match_fixture())
    write("squad.json", squad_fixture())
    classification = classification_fixture()
    write("accuracy.json", classification["accuracy"])
    write("f1.json", classification["f1"])
    write("ppl.json", ppl_fixture())
    write("token-accuracy.json", token_accuracy_fixture())


if __name__ == "__main__":
    main()
