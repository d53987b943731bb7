"""Golden vectors for the classical baseline (src/core/baseline): scikit-learn's TfidfVectorizer + Ridge /
LogisticRegression with TabTune's settings on a committed sample of real reviews.

  /usr/bin/python3 scripts/reference/baseline_golden.py   (Debian's python3-sklearn)

Writes test-fixtures/baseline/reviews.csv (once, from ../shared/fixtures: 1,000 CC0 clothing reviews with a
text, cleaned to one line) and test-fixtures/baseline/golden.json. The split is fixed: rows 0–699 train,
700–849 validation, 850–999 test. Text = review + " " + title, as TabTune joins a text pair for the baseline.
Positive = rating >= 4. Solvers run to tight tolerances, so the goldens are the exact optima.
"""
import csv
import json
import os

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression, Ridge
from sklearn.metrics import roc_auc_score

OUT = "test-fixtures/baseline"
SOURCE = "../shared/fixtures/womens-clothing-reviews.csv"
N_TRAIN, N_VAL, N_TEST = 700, 150, 150


def sample():
    path = f"{OUT}/reviews.csv"
    if not os.path.exists(path):
        rows = []
        with open(SOURCE, newline="", encoding="utf-8") as f:
            for r in csv.DictReader(f):
                text = " ".join((r["Review Text"] or "").split())
                if text:
                    title = " ".join((r["Title"] or "").split())
                    rows.append([r["Clothing ID"], title, text, r["Rating"]])
                if len(rows) == N_TRAIN + N_VAL + N_TEST:
                    break
        with open(path, "w", newline="", encoding="utf-8") as f:
            w = csv.writer(f)
            w.writerow(["Clothing ID", "Title", "Review Text", "Rating"])
            w.writerows(rows)
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def main():
    rows = sample()
    texts = [f'{r["Review Text"]} {r["Title"]}' for r in rows]
    ratings = np.array([float(r["Rating"]) for r in rows])
    tr, va, te = slice(0, N_TRAIN), slice(N_TRAIN, N_TRAIN + N_VAL), slice(N_TRAIN + N_VAL, None)
    vec = TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True)
    x_train = vec.fit_transform(texts[tr])
    x_val, x_test = vec.transform(texts[va]), vec.transform(texts[te])
    vocab = vec.vocabulary_
    terms = sorted(vocab)
    probe = terms[:5] + terms[-5:] + [t for t in ["dress", "love", "runs small", "the", "fabric"] if t in vocab]
    out = {
        "settings": {"ngram_range": [1, 2], "min_df": 2, "sublinear_tf": True, "alpha": 1.0, "C": 1.0},
        "split": {"train": N_TRAIN, "validation": N_VAL, "test": N_TEST},
        "features": len(vocab),
        "idf": {t: vec.idf_[vocab[t]] for t in probe},
        "firstValidationRow": {terms[c]: v for c, v in zip(x_val[0].indices, x_val[0].data)},
    }
    positive_val = ratings[va] >= 4
    positive_test = ratings[te] >= 4

    ridge = Ridge(alpha=1.0, solver="sparse_cg", tol=1e-12).fit(x_train, (ratings[tr] - 1) / 4)
    out["regression"] = {
        "validation": ridge.predict(x_val).tolist(),
        "auc": roc_auc_score(positive_val, ridge.predict(x_val)),
        "testAuc": roc_auc_score(positive_test, ridge.predict(x_test)),
    }
    binary = LogisticRegression(C=1.0, tol=1e-10, max_iter=100000).fit(x_train, ratings[tr] >= 4)
    out["binary"] = {
        "validation": binary.decision_function(x_val).tolist(),
        "auc": roc_auc_score(positive_val, binary.decision_function(x_val)),
        "testAuc": roc_auc_score(positive_test, binary.decision_function(x_test)),
    }
    multi = LogisticRegression(C=1.0, tol=1e-10, max_iter=100000).fit(x_train, ratings[tr].astype(int))
    pos = multi.classes_ >= 4
    out["classification"] = {
        "classes": multi.classes_.tolist(),
        "validationProbabilities": multi.predict_proba(x_val).tolist(),
        "auc": roc_auc_score(positive_val, multi.predict_proba(x_val)[:, pos].sum(1)),
        "testAuc": roc_auc_score(positive_test, multi.predict_proba(x_test)[:, pos].sum(1)),
    }
    with open(f"{OUT}/golden.json", "w") as f:
        json.dump(out, f, indent=1)
    print(json.dumps({k: out[k]["auc"] for k in ["regression", "binary", "classification"]}), out["features"])


if __name__ == "__main__":
    main()
