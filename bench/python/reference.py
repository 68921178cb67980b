"""The Python side of the metrics case: sacrebleu, rouge_score and the SQuAD v1.1 evaluation script on the
bench's generated data, timed inside Python around the computation only.

  python reference.py --serve                 one JSON command per stdin line:
                                              {"metric": "bleu", "file": "...jsonl"} -> one JSON result line
  python reference.py --once METRIC FILE      end to end: read the file, compute, print one JSON line

Metrics: bleu, chrf, rouge, rouge_stem (sacrebleu 2.x and rouge_score defaults), squad (v1.1 script).
A result line is {"metric", "rows", "ms", "result"}; ms times the computation only (the file is read and
parsed before the clock starts).
"""
import json
import re
import string
import sys
import time
from collections import Counter


# --- SQuAD v1.1 evaluation script (evaluate-v1.1.py), transcribed: normalisation, F1, EM, max over golds.

def normalize_answer(s):
    """Lower text and remove punctuation, articles and extra whitespace."""

    def remove_articles(text):
        return re.sub(r'\b(a|an|the)\b', ' ', text)

    def white_space_fix(text):
        return ' '.join(text.split())

    def remove_punc(text):
        exclude = set(string.punctuation)
        return ''.join(ch for ch in text if ch not in exclude)

    def lower(text):
        return text.lower()

    return white_space_fix(remove_articles(remove_punc(lower(s))))


def f1_score(prediction, ground_truth):
    prediction_tokens = normalize_answer(prediction).split()
    ground_truth_tokens = normalize_answer(ground_truth).split()
    common = Counter(prediction_tokens) & Counter(ground_truth_tokens)
    num_same = sum(common.values())
    if num_same == 0:
        return 0
    precision = 1.0 * num_same / len(prediction_tokens)
    recall = 1.0 * num_same / len(ground_truth_tokens)
    return (2 * precision * recall) / (precision + recall)


def exact_match_score(prediction, ground_truth):
    return normalize_answer(prediction) == normalize_answer(ground_truth)


def metric_max_over_ground_truths(metric_fn, prediction, ground_truths):
    return max(metric_fn(prediction, ground_truth) for ground_truth in ground_truths)


def squad(predictions, answers):
    f1 = exact_match = total = 0
    for prediction, ground_truths in zip(predictions, answers):
        total += 1
        exact_match += metric_max_over_ground_truths(exact_match_score, prediction, ground_truths)
        f1 += metric_max_over_ground_truths(f1_score, prediction, ground_truths)
    return {'exact_match': 100.0 * exact_match / total, 'f1': 100.0 * f1 / total}


# --- sacrebleu and rouge_score with their defaults.

def bleu(predictions, references):
    from sacrebleu.metrics import BLEU
    return {'score': BLEU().corpus_score(predictions, [references]).score}


def chrf(predictions, references):
    from sacrebleu.metrics import CHRF
    return {'score': CHRF().corpus_score(predictions, [references]).score}


def rouge(predictions, references, use_stemmer=False):
    from rouge_score import rouge_scorer
    types = ['rouge1', 'rouge2', 'rougeL', 'rougeLsum']
    scorer = rouge_scorer.RougeScorer(types, use_stemmer=use_stemmer)
    sums = dict.fromkeys(types, 0.0)
    for prediction, reference in zip(predictions, references):
        scores = scorer.score(reference, prediction)
        for kind in types:
            sums[kind] += scores[kind].fmeasure
    return {kind: total / len(predictions) for kind, total in sums.items()}


METRICS = {
    'bleu': lambda rows: bleu(rows[0], rows[1]),
    'chrf': lambda rows: chrf(rows[0], rows[1]),
    'rouge': lambda rows: rouge(rows[0], rows[1]),
    'rouge_stem': lambda rows: rouge(rows[0], rows[1], use_stemmer=True),
    'squad': lambda rows: squad(rows[0], rows[1]),
}


def read_rows(path, metric):
    predictions, references = [], []
    field = 'answers' if metric == 'squad' else 'reference'
    with open(path, encoding='utf-8') as handle:
        for line in handle:
            if line.strip():
                row = json.loads(line)
                predictions.append(row['prediction'])
                references.append(row[field])
    return predictions, references


def warm_imports():
    """Imports the libraries (and builds the stemmer) before any clock starts."""
    import sacrebleu.metrics  # noqa: F401
    from rouge_score import rouge_scorer
    rouge_scorer.RougeScorer(['rouge1'], use_stemmer=True).score('warming up', 'warming up')


def compute(metric, rows):
    started = time.perf_counter()
    result = METRICS[metric](rows)
    ms = (time.perf_counter() - started) * 1000
    return {'metric': metric, 'rows': len(rows[0]), 'ms': ms, 'result': result}


def serve():
    warm_imports()
    cache = {}
    print(json.dumps({'ready': True}), flush=True)
    for line in sys.stdin:
        if not line.strip():
            continue
        command = json.loads(line)
        key = (command['file'], command['metric'] == 'squad')
        if key not in cache:
            cache[key] = read_rows(command['file'], command['metric'])
        print(json.dumps(compute(command['metric'], cache[key])), flush=True)


def once(metric, path):
    print(json.dumps(compute(metric, read_rows(path, metric))), flush=True)


if __name__ == '__main__':
    if sys.argv[1:2] == ['--serve']:
        serve()
    elif sys.argv[1:2] == ['--once'] and len(sys.argv) == 4:
        once(sys.argv[2], sys.argv[3])
    else:
        sys.exit(__doc__)
