"""Reading figures as the browser gets them: shared by the test modules."""

import base64

import numpy as np


def decoded(value):
    """plotly sends numeric arrays as {"dtype", "bdata"[, "shape"]}: base64 of the raw buffer."""
    if isinstance(value, dict) and set(value) >= {"dtype", "bdata"}:
        flat = np.frombuffer(base64.b64decode(value["bdata"]), dtype=value["dtype"])
        shape = value.get("shape")
        return flat.reshape([int(n) for n in str(shape).split(",")]) if shape else flat
    return value


def trace_named(fig_dict, name):
    """The one trace called name, with its arrays decoded."""
    (trace,) = [t for t in fig_dict["data"] if t.get("name") == name]
    return {key: decoded(value) for key, value in trace.items()}
