"""Round tick values for axes and colour bars: steps of 1, 2 or 5 times a power of ten.

One 1-2-5 step (nice_step) for the colour bars' decades, the iso-cost lines' spacing and the
animations' axis ticks; numbers only, so every picture (and its tests) can use it.
"""

import math


def nice_step(span, most, smallest=1):
    """The smallest of 1, 2 and 5 times a power of ten (at least `smallest`) that cuts span into
    at most `most` pieces: 1, 2, 5, 10, 20, ... for decades; 0.1, 0.2, 0.5, ... for axis ticks
    with smallest=0."""
    raw = span / most
    if raw <= smallest:
        return smallest
    power = 10.0 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= raw * (1 - 1e-12))
    return round(step) if step >= 1 else step


def decade_ticks(lo, hi):
    """Colour bar ticks at whole decades (every few decades on a deep range): values, labels."""
    step = nice_step(hi - lo, 12)
    values = [k for k in range(math.ceil(lo), math.floor(hi) + 1) if k % step == 0]
    return values, [f"10<sup>{k}</sup>" for k in values]


def nice_ticks(lo, hi, count=5):
    """Round values (1, 2 or 5 times a power of ten apart) from lo to hi, at most count + 1."""
    if not hi > lo:
        return [lo]
    step = nice_step(hi - lo, count, smallest=0)
    first = math.ceil(lo / step - 1e-9)
    values = [k * step for k in range(first, math.floor(hi / step + 1e-9) + 1)]
    return [0.0 if abs(v) < step * 1e-9 else v for v in values]
