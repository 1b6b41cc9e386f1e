"""The README's ten lines of library are run as written, so they cannot go stale."""

import contextlib
import io
import re
from pathlib import Path

README = Path(__file__).resolve().parent.parent / "README.md"


def test_readme_example_runs_and_prints_the_tutorials_numbers():
    (code,) = re.findall(r"```python\n(.*?)```", README.read_text(), re.S)
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(code, str(README), "exec"), {})
    lines = out.getvalue().splitlines()
    assert lines[0] == "[1.00135555 0.99967447]" and lines[1] == "5.00"
    assert "e+" in lines[2]  # the gradient through time at w_rec = 2 runs to 10^3 and more
