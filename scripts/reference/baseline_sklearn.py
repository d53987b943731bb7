"""The scikit-learn peer of `npm run bench:baseline`: the classical baseline's settings (TfidfVectorizer with word
1–2-grams, min_df=2, sublinear_tf; Ridge(alpha=1) for regression, LogisticRegression(C=1) for binary and
multinomial classification, scikit-learn's default tol) on the rows and split TabTune used, handed to it as
JSON on stdin ({"train": [[text, rating]…], "validation": […], "threshold": 4}). Prints seconds and AUCs.
"""
import json
import sys
import time

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression, Ridge
from sklearn.metrics import roc_auc_score


def main():
    job = json.load(sys.stdin)
    train_t, train_r = zip(*job["train"])
    val_t, val_r = zip(*job["validation"])
    train_r, val_r = np.array(train_r), np.array(val_r)
    lo, hi, th = train_r.min(), train_r.max(), job["threshold"]
    out = {}
    for task in ["regression", "binary", "classification"]:
        start = time.perf_counter()
        vec = TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True)
        x, xv = vec.fit_transform(train_t), None
        if task == "regression":
            m = Ridge(alpha=1.0).fit(x, (train_r - lo) / (hi - lo))
            score = lambda: m.predict(vec.transform(val_t))
        elif task == "binary":
            m = LogisticRegression(C=1.0).fit(x, train_r >= th)
            score = lambda: m.decision_function(vec.transform(val_t))
        else:
            m = LogisticRegression(C=1.0, max_iter=1000).fit(x, train_r.astype(int))
            score = lambda: m.predict_proba(vec.transform(val_t))[:, m.classes_ >= th].sum(1)
        s = score()
        out[task] = {"seconds": round(time.perf_counter() - start, 2), "validationAuc": roc_auc_score(val_r >= th, s)}
    print(json.dumps(out))


if __name__ == "__main__":
    main()
