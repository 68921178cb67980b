"""Builds the tiny random-weight models the model tests load, and what PyTorch computes with them.

Run from the project root (CPU is enough; nothing is downloaded but the pinned packages):
  python3 -m venv .venv && .venv/bin/pip install torch==2.15.0 transformers==5.23.0 tokenizers==0.23.3 onnx==1.23.2 onnxscript==0.7.2
  .venv/bin/python scripts/reference/make-model-fixtures.py
Outputs go to src/plugins/models/fixtures/, one folder per model in the layout transformers.js reads:
  <model>/config.json, tokenizer.json, tokenizer_config.json, onnx/model.onnx
  tiny-gpt2       GPT-2 shaped causal LM, byte-level BPE tokenizer, past_key_values in and present out
  tiny-bert       BERT shaped encoder, lower-casing WordPiece tokenizer
  tiny-minilm     MiniLM shaped encoder (deeper and narrower), its own WordPiece tokenizer
  reference.json  what PyTorch gives for the test texts: token ids, logits, next-token log-probabilities,
                  perplexity computed as Hugging Face evaluate's `perplexity` metric computes it, and mean-pooled
                  L2-normalised embeddings with their cosine similarities.
Weights come from a fixed seed and the tokenizers are trained on text written here, so the outputs depend on
nothing outside this script and the pinned packages.
"""
import json
import pathlib
import shutil

import torch
from tokenizers import Tokenizer, decoders, models, normalizers, pre_tokenizers, processors, trainers
from transformers import BertConfig, BertModel, GPT2Config, GPT2LMHeadModel, PreTrainedTokenizerFast
from transformers.cache_utils import DynamicCache

OUT = pathlib.Path(__file__).resolve().parents[2] / "src" / "plugins" / "models" / "fixtures"

SUBJECTS = ["the model", "a small network", "the metric", "our data loader", "every plugin", "the browser", "this run"]
VERBS = ["reads", "writes", "scores", "streams", "loads", "splits", "counts", "learns"]
OBJECTS = ["the whole file", "each line", "a batch of rows", "many references", "the test set", "short texts", "new words"]
CORPUS = [f"{s} {v} {o}." for s in SUBJECTS for v in VERBS for o in OBJECTS]

GPT2_TEXTS = [
    "the model reads the whole file.",
    "a small network learns new words quickly, and the browser counts each line.",
    "every plugin scores",
    "Unseen Words: zebra 42!",
]
ENCODER_TEXTS = [
    "the model reads the whole file.",
    "The Browser streams short texts.",
    "every plugin learns",
    "a small network writes many references, and this run counts new words.",
]
SIMILARITY_PAIRS = [
    ("the model reads the whole file.", "the model reads the whole file."),
    ("the model reads the whole file.", "a small network writes each line."),
    ("every plugin scores the test set.", "every plugin scores many references."),
]
GPT2_EOS = "<|endoftext|>"
SPECIAL_ORDER = ["bos_token", "eos_token", "unk_token", "sep_token", "pad_token", "cls_token", "mask_token"]


def gpt2_tokenizer() -> Tokenizer:
    tokenizer = Tokenizer(models.BPE())
    tokenizer.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tokenizer.decoder = decoders.ByteLevel()
    tokenizer.post_processor = processors.ByteLevel(trim_offsets=False)
    trainer = trainers.BpeTrainer(vocab_size=320, special_tokens=[GPT2_EOS], initial_alphabet=pre_tokenizers.ByteLevel.alphabet())
    tokenizer.train_from_iterator(CORPUS, trainer)
    return tokenizer


def wordpiece_tokenizer(vocab_size: int) -> Tokenizer:
    tokenizer = Tokenizer(models.WordPiece(unk_token="[UNK]"))
    tokenizer.normalizer = normalizers.BertNormalizer(lowercase=True)
    tokenizer.pre_tokenizer = pre_tokenizers.BertPreTokenizer()
    tokenizer.decoder = decoders.WordPiece()
    trainer = trainers.WordPieceTrainer(vocab_size=vocab_size, special_tokens=["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"])
    tokenizer.train_from_iterator(CORPUS, trainer)
    cls, sep = tokenizer.token_to_id("[CLS]"), tokenizer.token_to_id("[SEP]")
    tokenizer.post_processor = processors.TemplateProcessing(
        single="[CLS] $A [SEP]", pair="[CLS] $A [SEP] $B:1 [SEP]:1", special_tokens=[("[CLS]", cls), ("[SEP]", sep)]
    )
    return tokenizer


def save_tokenizer(folder: pathlib.Path, tokenizer: Tokenizer, tokenizer_class: str, special: dict, max_length: int) -> PreTrainedTokenizerFast:
    folder.mkdir(parents=True, exist_ok=True)
    tokenizer.save(str(folder / "tokenizer.json"))
    config = {"tokenizer_class": tokenizer_class, "model_max_length": max_length, "clean_up_tokenization_spaces": False, **special}
    if tokenizer_class == "BertTokenizer":
        config["do_lower_case"] = True
    (folder / "tokenizer_config.json").write_text(json.dumps(config, indent=2) + "\n")
    return PreTrainedTokenizerFast(tokenizer_file=str(folder / "tokenizer.json"), model_max_length=max_length, **special)


def export(module: torch.nn.Module, args: tuple, path: pathlib.Path, inputs: list, outputs: list, axes: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    torch.onnx.export(module, args, str(path), input_names=inputs, output_names=outputs, dynamic_axes=axes, opset_version=17, dynamo=False)
    module.eval()  # export leaves the module in training mode: dropout would be back on for the references


class Gpt2WithPast(torch.nn.Module):
    """GPT-2 with the flat past/present key-value inputs and outputs transformers.js feeds and reads."""

    def __init__(self, model: GPT2LMHeadModel):
        super().__init__()
        self.model = model

    def forward(self, input_ids, attention_mask, position_ids, *past):
        cache = DynamicCache()
        for layer in range(len(past) // 2):
            cache.update(past[2 * layer], past[2 * layer + 1], layer)
        out = self.model(input_ids=input_ids, attention_mask=attention_mask, position_ids=position_ids, past_key_values=cache, use_cache=True)
        present = []
        for layer in range(len(past) // 2):
            present += [out.past_key_values.layers[layer].keys, out.past_key_values.layers[layer].values]
        return (out.logits, *present)


class EncoderLastHidden(torch.nn.Module):
    """A BERT encoder returning only last_hidden_state, as transformers.js's feature extraction reads it."""

    def __init__(self, model: BertModel):
        super().__init__()
        self.model = model

    def forward(self, input_ids, attention_mask, token_type_ids):
        return self.model(input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids).last_hidden_state


def evaluate_perplexity(model, tokenizer, predictions, batch_size=16, add_start_token=True, max_length=None):
    """Hugging Face evaluate's metrics/perplexity/perplexity.py `_compute`, step for step, on CPU.

    One change: upstream assigns the pad token only when batch_size > 1 and then fails to pad texts of
    different lengths at batch_size 1; here it is assigned whenever the tokenizer has none. Padding is masked
    out of every sum, so the numbers are the ones upstream gives wherever it runs.
    """
    if tokenizer.pad_token is None:
        existing = [getattr(tokenizer, name) for name in SPECIAL_ORDER if getattr(tokenizer, name) is not None]
        assert len(existing) > 0
        tokenizer.add_special_tokens({"pad_token": existing[0]})
    if add_start_token and max_length:
        assert tokenizer.bos_token is not None
        max_tokenized_len = max_length - 1
    else:
        max_tokenized_len = max_length
    encodings = tokenizer(
        predictions, add_special_tokens=False, padding=True, truncation=True if max_tokenized_len else False,
        max_length=max_tokenized_len, return_tensors="pt", return_attention_mask=True,
    )
    encoded_texts, attn_masks = encodings["input_ids"], encodings["attention_mask"]
    ppls = []
    loss_fct = torch.nn.CrossEntropyLoss(reduction="none")
    for start_index in range(0, len(encoded_texts), batch_size):
        end_index = min(start_index + batch_size, len(encoded_texts))
        encoded_batch = encoded_texts[start_index:end_index]
        attn_mask = attn_masks[start_index:end_index]
        if add_start_token and tokenizer.bos_token_id is not None:
            bos_tokens_tensor = torch.tensor([[tokenizer.bos_token_id]] * encoded_batch.size(dim=0))
            encoded_batch = torch.cat([bos_tokens_tensor, encoded_batch], dim=1)
            attn_mask = torch.cat([torch.ones(bos_tokens_tensor.size(), dtype=torch.int64), attn_mask], dim=1)
        labels = encoded_batch
        with torch.no_grad():
            out_logits = model(encoded_batch, attention_mask=attn_mask).logits
        shift_logits = out_logits[..., :-1, :].contiguous()
        shift_labels = labels[..., 1:].contiguous()
        shift_attention_mask_batch = attn_mask[..., 1:].contiguous()
        perplexity_batch = torch.exp(
            (loss_fct(shift_logits.transpose(1, 2), shift_labels) * shift_attention_mask_batch).sum(1) / shift_attention_mask_batch.sum(1)
        )
        ppls += perplexity_batch.tolist()
    return {"perplexities": ppls, "mean_perplexity": sum(ppls) / len(ppls)}


def build_gpt2(folder: pathlib.Path) -> dict:
    tokenizer = save_tokenizer(folder, gpt2_tokenizer(), "GPT2Tokenizer", {"bos_token": GPT2_EOS, "eos_token": GPT2_EOS, "unk_token": GPT2_EOS}, 64)
    eos = tokenizer.convert_tokens_to_ids(GPT2_EOS)
    config = GPT2Config(
        vocab_size=len(tokenizer), n_positions=64, n_embd=32, n_layer=2, n_head=2, n_inner=64, initializer_range=0.2,
        bos_token_id=eos, eos_token_id=eos, attn_implementation="eager",
    )
    torch.manual_seed(0)
    model = GPT2LMHeadModel(config).eval()
    config.architectures = ["GPT2LMHeadModel"]
    config.save_pretrained(folder)
    (folder / "generation_config.json").unlink(missing_ok=True)

    layers, heads, head_size = config.n_layer, config.n_head, config.n_embd // config.n_head
    ids = torch.tensor([[eos, 5, 9]])
    past = []
    past_names, present_names, axes = [], [], {
        "input_ids": {0: "batch_size", 1: "sequence_length"},
        "attention_mask": {0: "batch_size", 1: "past_sequence_length + sequence_length"},
        "position_ids": {0: "batch_size", 1: "sequence_length"},
        "logits": {0: "batch_size", 1: "sequence_length"},
    }
    for layer in range(layers):
        for kind in ("key", "value"):
            past.append(torch.randn(1, heads, 2, head_size))
            past_names.append(f"past_key_values.{layer}.{kind}")
            present_names.append(f"present.{layer}.{kind}")
            axes[past_names[-1]] = {0: "batch_size", 2: "past_sequence_length"}
            axes[present_names[-1]] = {0: "batch_size", 2: "past_sequence_length + sequence_length"}
    export(
        Gpt2WithPast(model), (ids, torch.ones(1, 5, dtype=torch.int64), torch.tensor([[2, 3, 4]]), *past),
        folder / "onnx" / "model.onnx", ["input_ids", "attention_mask", "position_ids", *past_names], ["logits", *present_names], axes,
    )
    model.eval()

    rows = []
    for text in GPT2_TEXTS:
        text_ids = tokenizer(text, add_special_tokens=False)["input_ids"]
        with torch.no_grad():
            logits = model(torch.tensor([text_ids])).logits[0]
        log_probs = torch.log_softmax(logits, dim=-1)
        rows.append({
            "text": text,
            "input_ids": text_ids,
            "logits": logits.tolist(),
            "next_token_log_probs": [log_probs[i, text_ids[i + 1]].item() for i in range(len(text_ids) - 1)],
        })
    cases = [
        {"options": {"batch_size": 2, "add_start_token": True}},
        {"options": {"batch_size": 16, "add_start_token": True}},
        {"options": {"batch_size": 3, "add_start_token": False}},
        {"options": {"batch_size": 2, "add_start_token": True, "max_length": 6}},
        {"options": {"batch_size": 1, "add_start_token": False, "max_length": 5}},
    ]
    for case in cases:
        fresh = PreTrainedTokenizerFast.from_pretrained(folder)
        case["result"] = evaluate_perplexity(model, fresh, GPT2_TEXTS, **case["options"])
    return {"texts": GPT2_TEXTS, "rows": rows, "perplexity": cases}


def build_encoder(folder: pathlib.Path, vocab_size: int, shape: dict, seed: int) -> dict:
    special = {"unk_token": "[UNK]", "sep_token": "[SEP]", "pad_token": "[PAD]", "cls_token": "[CLS]", "mask_token": "[MASK]"}
    tokenizer = save_tokenizer(folder, wordpiece_tokenizer(vocab_size), "BertTokenizer", special, 64)
    config = BertConfig(vocab_size=len(tokenizer), max_position_embeddings=64, initializer_range=0.2, attn_implementation="eager", **shape)
    torch.manual_seed(seed)
    model = BertModel(config, add_pooling_layer=False).eval()
    config.architectures = ["BertModel"]
    config.save_pretrained(folder)
    sample = tokenizer(["the model reads", "a browser"], padding=True, return_tensors="pt", return_token_type_ids=True)
    axes = {name: {0: "batch_size", 1: "sequence_length"} for name in ("input_ids", "attention_mask", "token_type_ids", "last_hidden_state")}
    export(
        EncoderLastHidden(model), (sample["input_ids"], sample["attention_mask"], sample["token_type_ids"]),
        folder / "onnx" / "model.onnx", ["input_ids", "attention_mask", "token_type_ids"], ["last_hidden_state"], axes,
    )
    model.eval()

    def embed(texts: list) -> torch.Tensor:
        encoded = tokenizer(texts, padding=True, return_tensors="pt")
        with torch.no_grad():
            hidden = model(**encoded).last_hidden_state
        mask = encoded["attention_mask"].unsqueeze(-1).to(hidden.dtype)
        pooled = (hidden * mask).sum(1) / mask.sum(1)
        return torch.nn.functional.normalize(pooled, p=2, dim=1)

    embeddings = embed(ENCODER_TEXTS)
    predictions = [p for p, _ in SIMILARITY_PAIRS]
    references = [r for _, r in SIMILARITY_PAIRS]
    similarities = (embed(predictions) * embed(references)).sum(1).tolist()
    return {
        "texts": ENCODER_TEXTS,
        "input_ids": [tokenizer(text)["input_ids"] for text in ENCODER_TEXTS],
        "embeddings": embeddings.tolist(),
        "similarity": {"predictions": predictions, "references": references, "scores": similarities, "mean": sum(similarities) / len(similarities)},
    }


def main() -> None:
    if OUT.exists():
        shutil.rmtree(OUT)
    torch.set_grad_enabled(False)
    reference = {
        "tiny-gpt2": build_gpt2(OUT / "tiny-gpt2"),
        "tiny-bert": build_encoder(OUT / "tiny-bert", 260, {"hidden_size": 32, "num_hidden_layers": 2, "num_attention_heads": 2, "intermediate_size": 64}, 1),
        "tiny-minilm": build_encoder(OUT / "tiny-minilm", 200, {"hidden_size": 24, "num_hidden_layers": 3, "num_attention_heads": 4, "intermediate_size": 48}, 2),
    }
    (OUT / "reference.json").write_text(json.dumps(reference, separators=(",", ":")) + "\n")


if __name__ == "__main__":
    main()
