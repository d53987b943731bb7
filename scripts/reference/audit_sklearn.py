"""The label audit's reference rankings, by scikit-learn (Debian's python3-sklearn), for scripts/audit-measure.ts:
on a CSV it reads (text and rating columns), 5-fold cross-fitted out-of-sample predictions of
TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True) feeding
  - Ridge(alpha=1): the plain residual |rating − prediction| (the issue's bar), and
  - LogisticRegression(C=1, max_iter=1000): cleanlab's default ranking, self-confidence 1 − p(given rating)
    (cleanlab.rank.get_self_confidence_for_each_label, computed here without cleanlab).
Writes one JSON object: {"residual": [...], "self_confidence": [...]}, a score per row in file order (higher: more
suspicious).
  /usr/bin/python3 scripts/reference/audit_sklearn.py <csv> <text column> <rating column> <out.json>
"""
import csv
import json
import sys

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression, Ridge
from sklearn.model_selection import KFold, cross_val_predict
from sklearn.pipeline import make_pipeline

path, text, rating, out = sys.argv[1:5]
with open(path, newline="", encoding="utf-8") as f:
    rows = list(csv.DictReader(f))
texts, y = [r[text] for r in rows], np.array([int(float(r[rating])) for r in rows])
folds = KFold(n_splits=5, shuffle=True, random_state=0)
tfidf = lambda: TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True)
ridge = cross_val_predict(make_pipeline(tfidf(), Ridge(alpha=1.0)), texts, y, cv=folds)
proba = cross_val_predict(make_pipeline(tfidf(), LogisticRegression(C=1.0, max_iter=1000)), texts, y, cv=folds,
                          method="predict_proba")
classes = np.unique(y)
given = np.searchsorted(classes, y)
with open(out, "w") as f:
    json.dump({"residual": np.abs(y - ridge).tolist(),
               "self_confidence": (1 - proba[np.arange(len(y)), given]).tolist()}, f)
