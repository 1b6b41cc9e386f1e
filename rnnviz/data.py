"""The tutorial's data: binary sequences whose target is the count of ones."""

import numpy as np


def make_dataset(n_samples=20, seq_len=10, seed=1):
    """Binary sequences X (n, T) and their counts of ones t (n,), drawn as the tutorial draws them.

    A local RandomState(seed) gives the stream the tutorial's numbers come from
    (it seeded the global generator with the same value); the global one is never touched.
    """
    _require_int("n_samples", n_samples, minimum=1)
    _require_int("seq_len", seq_len, minimum=1)
    _require_int("seed", seed, minimum=0)
    rng = np.random.RandomState(seed)
    X = np.zeros((n_samples, seq_len))
    for row in range(n_samples):  # row by row, as the tutorial draws them
        X[row, :] = np.around(rng.rand(seq_len))
    return X, X.sum(axis=1)


def parse_sequence(text, max_len=1000):
    """A typed 0/1 sequence as a float array (1, T); raises ValueError that says what is wrong.

    Spaces and commas between digits are allowed: "0 1 1", "0,1,1" and "011" are the same.
    """
    bits = "".join(ch for ch in str(text) if ch not in " ,\t")
    if not bits:
        raise ValueError("the sequence is empty: type some 0s and 1s, for example 0111")
    stray = sorted({ch for ch in bits if ch not in "01"})
    if stray:
        shown = ", ".join(repr(ch) for ch in stray[:5])
        raise ValueError(f"only 0 and 1 are allowed; found {shown}")
    if len(bits) > max_len:
        raise ValueError(f"the sequence has {len(bits)} digits; at most {max_len} are allowed")
    return np.array([[float(ch) for ch in bits]])


def _require_int(name, value, minimum):
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < minimum:
        raise ValueError(f"{name} must be an integer >= {minimum}, got {value!r}")
