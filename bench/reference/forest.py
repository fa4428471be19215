"""scikit-learn reference for the random-forest cases of bench/learners.bench.ts (prints one JSON object).

python3 bench/reference/forest.py DIR

DIR holds meta.json ({"n_train", "n_test", "d", "trees", "max_features"}) and the data the bench
wrote as raw little-endian arrays: train_x.f32 / test_x.f32 (rows × d float32) and train_y.i32 /
test_y.i32 (int32 class indices), so both sides fit exactly the same numbers. The forest is
RandomForestClassifier with the same settings as ours (Gini, bootstrap, features per split,
unlimited depth, min_samples_leaf 1), single-threaded (n_jobs=1), as a practitioner would run it.
Output: {"fit_ms", "predict_ms", "accuracy", "sklearn"}: one fit, then predict_proba on the test rows.
"""
import json
import sys
import time

import numpy as np
import sklearn
from sklearn.ensemble import RandomForestClassifier

from forest_data import load

meta, x_train, y_train, x_test, y_test = load(sys.argv[1])

forest = RandomForestClassifier(n_estimators=meta["trees"], max_features=meta["max_features"], n_jobs=1, random_state=0)
t = time.perf_counter()
forest.fit(x_train, y_train)
fit_ms = (time.perf_counter() - t) * 1000
t = time.perf_counter()
probs = forest.predict_proba(x_test)
predict_ms = (time.perf_counter() - t) * 1000
accuracy = float(np.mean(forest.classes_[np.argmax(probs, axis=1)] == y_test))
print(json.dumps({"fit_ms": fit_ms, "predict_ms": predict_ms, "accuracy": accuracy, "sklearn": sklearn.__version__}))
