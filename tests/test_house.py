"""The house's rules, read off the code: which module may import which, one palette."""

import ast
import re
from pathlib import Path

from rnnviz import palette, racer_grammar

ROOT = Path(__file__).resolve().parent.parent
RNNVIZ = ROOT / "rnnviz"
CONTROL_MODULES = ("specs", "url_codec", "racer_grammar", "probe_points", "naming", "stories")
# What draws: a control module that imported one would tie the page's table of controls to a
# picture (params.py once imported map_panels for two words).
FIGURE_MODULES = {"panels", "map_panels", "live", "race", "surface_image", "animation", "export"}
COLOUR = re.compile(r"[\"']#[0-9a-fA-F]{3}(?:[0-9a-fA-F]{3})?[\"']|rgba?\(\s*\d")


def imported_modules(path):
    """Every module path.py imports, as dotted names (from-imports of rnnviz's modules too)."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def test_no_control_module_imports_a_figure_module_or_plotly():
    for name in CONTROL_MODULES:
        imported = imported_modules(RNNVIZ / f"{name}.py")
        parts = {part for module in imported for part in module.split(".")}
        assert not parts & FIGURE_MODULES, (name, parts & FIGURE_MODULES)
        assert not any(m.split(".")[0] in ("plotly", "PIL", "streamlit") for m in imported), name


def test_the_core_never_imports_streamlit():
    for path in RNNVIZ.rglob("*.py"):
        assert not any(m.split(".")[0] == "streamlit" for m in imported_modules(path)), path


def test_colours_are_written_only_in_the_palette():
    for path in RNNVIZ.rglob("*.py"):
        if path.name == "palette.py":
            continue
        text = path.read_text(encoding="utf-8")
        assert not COLOUR.search(text), f"{path.relative_to(ROOT)}: {COLOUR.search(text)[0]}"


def test_the_page_takes_as_many_racers_as_there_are_racer_styles():
    assert racer_grammar.MAX_RACERS == len(palette.RACER_STYLES) == len(palette.RACER_DASHES)
    assert len({colour for colour, _ in palette.RACER_STYLES}) == racer_grammar.MAX_RACERS
    assert len({marker for _, marker in palette.RACER_STYLES}) == racer_grammar.MAX_RACERS
    assert palette.CURRENT_MARKER not in {marker for _, marker in palette.RACER_STYLES}


# Reading a sentence another module wrote: splitting or searching its notice or notes.
READS_WORDING = re.compile(
    r"(notice|notes?|reason)\b[\w\[\]\"'.()]*\.(split|replace|startswith|partition)\("
    r"|re\.(search|match|findall)\([^)]*(notice|note)"
    r"|startswith\(\"Diverged"
)


def test_no_module_reads_another_modules_wording():
    """Words are for people: a module acts on values (diverged_at, LinkValue.problem), never
    on a sentence parsed back (race.py once learnt divergence from "Diverged at")."""
    for path in [*RNNVIZ.rglob("*.py"), *(ROOT / "dashboard").glob("*.py"), ROOT / "app.py"]:
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            assert not READS_WORDING.search(line), f"{path.relative_to(ROOT)}:{number}: {line}"
    # the rule itself catches what it is for
    assert READS_WORDING.search('raise UsageError(checked.notice.split("; ")[0])')
    assert READS_WORDING.search('stopped = [n for n in notes if n.startswith("Diverged at")]')


def test_the_tests_do_not_import_the_benchmark():
    """bench/ sits above everything (it may use the browser tests' harness); no test rests on
    bench/ (the browser tests once took their server and browser from bench/browser.py)."""
    for path in (ROOT / "tests").rglob("*.py"):
        imported = imported_modules(path)
        assert not any(m.split(".")[0] == "bench" for m in imported), path.relative_to(ROOT)


def test_the_plots_css_takes_its_colours_from_the_palette():
    css = (ROOT / "static" / "live_plot.css").read_text(encoding="utf-8")
    assert palette.with_css_variables(css) == css, "run: python -m rnnviz.palette"
    outside = css.replace(palette.css_variables(), "")
    used = set(re.findall(r"var\(--rnnviz-([\w-]+)\)", outside))
    assert used and used <= set(palette.CSS), used - set(palette.CSS)
    for path in [ROOT / "static" / "live_plot.css", *(ROOT / "static").glob("*.js")]:
        if path.name.startswith("plotly-"):
            continue
        text = outside if path.suffix == ".css" else path.read_text(encoding="utf-8")
        assert not re.search(r"#[0-9a-fA-F]{3,6}\b|rgba?\(\s*\d", text), path.name


def test_no_python_file_is_over_400_lines():
    """A module one can read in one sitting (STYLE.md: small on purpose); tests and bench too."""
    skipped = {".venv", ".git", "out", "__pycache__", "test-artifacts"}
    for path in ROOT.rglob("*.py"):
        if skipped & set(path.relative_to(ROOT).parts):
            continue
        lines = len(path.read_text(encoding="utf-8").splitlines())
        assert lines <= 400, f"{path.relative_to(ROOT)}: {lines} lines"
