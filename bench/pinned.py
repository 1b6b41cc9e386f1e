"""The page the dashboard is measured against, as it was at a pinned commit.

The one-figure st.plotly_chart page (bench/plotly_chart_app.py, drawn by rnnviz/plots.py)
left the product tree in issue 16; the bench still compares the live page with it, so it
runs that page from the last commit that had it, unpacked from this repository's own history
into bench/out/ (git archive: no network, no second checkout to keep in step).
"""

import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
# The last commit with bench/plotly_chart_app.py and rnnviz/plots.py.
PLOTLY_CHART_REVISION = "b41c375f9b3b8bb5c69fc4c73530b5be7c9e2ca1"
PLOTLY_CHART_APP = "bench/plotly_chart_app.py"


def tree(revision=PLOTLY_CHART_REVISION):
    """The folder holding the whole tree of revision, unpacked once."""
    folder = OUT / f"pinned-{revision[:12]}"
    if (folder / PLOTLY_CHART_APP).exists():
        return folder
    folder.mkdir(parents=True, exist_ok=True)
    try:
        archive = subprocess.run(
            ["git", "-C", str(ROOT), "archive", "--format=tar", revision],
            check=True,
            capture_output=True,
        ).stdout
    except (OSError, subprocess.CalledProcessError) as error:
        raise RuntimeError(
            f"the pinned page needs this repository's history (git archive {revision[:12]}): "
            f"{error}; a shallow clone lacks it: git fetch --unshallow"
        ) from error
    subprocess.run(["tar", "-x", "-C", str(folder)], input=archive, check=True)
    return folder
