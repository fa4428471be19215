"""The training and test arrays the learner bench writes for the forest references (meta.json + raw little-endian files)."""
import json
import os

import numpy as np


def load(folder):
    with open(os.path.join(folder, "meta.json")) as f:
        meta = json.load(f)
    d = meta["d"]

    def read(name, dtype, cols):
        data = np.fromfile(os.path.join(folder, name), dtype=dtype)
        return data.reshape(-1, cols) if cols > 1 else data

    return (
        meta,
        read("train_x.f32", "<f4", d),
        read("train_y.i32", "<i4", 1),
        read("test_x.f32", "<f4", d),
        read("test_y.i32", "<i4", 1),
    )
