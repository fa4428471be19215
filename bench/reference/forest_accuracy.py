"""scikit-learn's forest accuracy on the training sets of bench/learners.bench.ts's
"random-forest accuracy" cases (prints one JSON object).

python3 bench/reference/forest_accuracy.py DIR

DIR holds meta.json ({"d", "trees", "seeds"}) and the rows the bench wrote as raw little-endian
arrays: train_x.f32 / test_x.f32 (rows × d float32), train_y.i32 / test_y.i32 (int32 classes).
The forest is RandomForestClassifier with the settings our defaults map to: 100 trees, Gini,
bootstrap, max_features "sqrt", unlimited depth, min_samples_split 2, min_samples_leaf 1; one fit
per seed (random_state = seed), single-threaded. Output: {"accuracy": [per seed], "fit_cpu_ms":
[per seed], "sklearn"}. The expectations in test/learners/forest-accuracy.test.ts came from here.
"""
import json
import sys
import time

import numpy as np
import sklearn
from sklearn.ensemble import RandomForestClassifier

from forest_data import load

meta, x_train, y_train, x_test, y_test = load(sys.argv[1])

accuracies = []
fit_cpu_ms = []
for seed in meta["seeds"]:
    forest = RandomForestClassifier(
        n_estimators=meta["trees"],
        criterion="gini",
        max_depth=None,
        min_samples_split=2,
        min_samples_leaf=1,
        max_features="sqrt",
        bootstrap=True,
        n_jobs=1,
        random_state=seed,
    )
    t = time.process_time()
    forest.fit(x_train, y_train)
    fit_cpu_ms.append((time.process_time() - t) * 1000)
    predicted = forest.classes_[np.argmax(forest.predict_proba(x_test), axis=1)]
    accuracies.append(float(np.mean(predicted == y_test)))
print(json.dumps({"accuracy": accuracies, "fit_cpu_ms": fit_cpu_ms, "sklearn": sklearn.__version__}))
