"""A recording stand-in for transformers (see ../README.md)."""
import os

from _record import record


class _Tokenizer:
    def __call__(self, texts, pairs=None, truncation=False, max_length=None):
        record("tokenize", rows=len(texts), pairs=pairs is not None, truncation=truncation, max_length=max_length)
        return {"input_ids": [[101, 102] for _ in texts]}


class AutoTokenizer:
    @staticmethod
    def from_pretrained(path, **kw):
        record("AutoTokenizer.from_pretrained", path=path, **kw)
        return _Tokenizer()


class _Model:
    def named_parameters(self):
        return iter([("bert.embeddings.word_embeddings.weight", None), ("classifier.weight", None)])


class AutoModelForSequenceClassification:
    @staticmethod
    def from_pretrained(path, **kw):
        record("AutoModelForSequenceClassification.from_pretrained", path=path, **kw)
        return _Model()


class TrainingArguments:
    def __init__(self, **kw):
        record("TrainingArguments", **kw)


class _Trainer:
    def train(self):
        record("Trainer.train")

    def evaluate(self):
        return {"eval_loss": 0.0}

    def save_model(self, out):
        record("Trainer.save_model", out=out)


if os.environ.get("STUB_TRAINER") == "old":
    class Trainer(_Trainer):
        def __init__(self, model=None, args=None, train_dataset=None, eval_dataset=None, tokenizer=None,
                     compute_metrics=None):
            record("Trainer", tokenizer=tokenizer is not None, train_rows=len(train_dataset),
                   eval_rows=len(eval_dataset))
else:
    class Trainer(_Trainer):
        def __init__(self, model=None, args=None, train_dataset=None, eval_dataset=None, processing_class=None,
                     compute_metrics=None, **kw):
            record("Trainer", processing_class=processing_class is not None, other=sorted(kw),
                   train_rows=len(train_dataset), eval_rows=len(eval_dataset))
