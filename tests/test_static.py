"""The browser's code under static/: small modules by concern, linked as static/loader.js links
them, and no JavaScript left in live_plot.py's Python strings."""

import ast
import re
from pathlib import Path

import pytest

from dashboard import live_plot

STATIC = Path(__file__).resolve().parent.parent / "static"
MAX_LINES = 350
MODULES = sorted(p for p in STATIC.glob("*.js") if not p.name.startswith("plotly-"))


def test_the_modules_are_there():
    names = {p.name for p in MODULES}
    assert {"loader.js", "live_plot.js", "map_plot.js", "mount.js", "series.js"} <= names


@pytest.mark.parametrize("path", MODULES, ids=[p.name for p in MODULES])
def test_no_module_is_over_350_lines(path):
    lines = path.read_text(encoding="utf-8").count("\n")
    assert lines <= MAX_LINES, f"{path.name} has {lines} lines: split it by concern"


def javascript_in(text):
    """What in text reads as a JavaScript function: the keyword with a parameter list, an
    arrow, or a block opened after a parameter list (JS doubled into an f-string too)."""
    patterns = [r"\bfunction\b\s*\w*\s*\(", r"=>", r"\)\s*\{\{?\s*\n"]
    return [m.group(0) for pattern in patterns for m in re.finditer(pattern, text)]


def test_live_plot_py_holds_no_javascript_function_bodies():
    source = (STATIC.parent / "dashboard" / "live_plot.py").read_text(encoding="utf-8")
    strings = [
        node.value
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.Constant) and isinstance(node.value, str)
    ]
    found = [hit for text in strings for hit in javascript_in(text)]
    assert found == [], found
    # and what the components are given is the loader's call, two statements and no more
    for export, entry in (("component", "live_plot.js"), ("preload", "live_plot.js")):
        js = live_plot._component_js(export, entry)
        assert javascript_in(js) == [], js
        assert js.count(";") == 2 and js.count("\n") == 2, js
        assert f'loader.{export}({{"plotly": "plotly-' in js and "app/static/loader.js?v=" in js


def test_javascript_in_finds_function_bodies():
    """The check above can fail: the inline loader this refactor removed would not pass it."""
    old = "export default async function (component) {{\n  styled();\n}}\n"
    assert javascript_in(old)
    assert javascript_in("const once = (tag) => document.getElementById(tag);")
    assert not javascript_in('export default loader.component({"plotly": "p.js"}, "x.js");')


def loader_pattern():
    """static/loader.js's RELATIVE regex, read by Python (its syntax is the same in both)."""
    text = (STATIC / "loader.js").read_text(encoding="utf-8")
    literal = re.search(r"^const RELATIVE = /(.*)/gm;$", text, re.M).group(1)
    return re.compile(literal, re.M)


@pytest.mark.parametrize("path", MODULES, ids=[p.name for p in MODULES])
def test_every_relative_import_is_one_the_loader_links(path):
    """The browser's linker and live_plot.py (which inlines the modules into the offline page)
    find the same imports, every one of a module that exists; no other "./" is left."""
    text = path.read_text(encoding="utf-8")
    linked = [m.group(2) for m in loader_pattern().finditer(text)]
    assert linked == live_plot.IMPORT.findall(text)
    assert all((STATIC / name).is_file() for name in linked), linked
    code = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("//"))
    assert len(re.findall(r"""["']\./""", code)) == len(linked), "an import the loader misses"


def test_the_modules_import_one_another_without_a_cycle():
    """A cycle could not be linked: a module's blob URL exists only once its imports have one."""
    imports = {
        p.name: set(live_plot.IMPORT.findall(p.read_text(encoding="utf-8"))) for p in MODULES
    }
    done, path = set(), []

    def visit(name):
        assert name not in path, " -> ".join([*path, name])
        if name in done:
            return
        path.append(name)
        for other in imports[name]:
            visit(other)
        path.pop()
        done.add(name)

    for name in imports:
        visit(name)


def test_the_offline_page_carries_every_module_the_plot_and_maps_import():
    _, modules, _ = live_plot.assets()
    assert {"loader.js", "live_plot.js", "player.js", "snapshot.js"} <= set(modules)
    maps = live_plot.map_script()
    assert "map_plot.js" in maps and "map_plot.js" not in modules
    for found in (modules, maps):
        for text in found.values():
            assert set(live_plot.IMPORT.findall(text)) <= set(found)
    # and every module the page's own script loads by name (its server, the plot, the maps)
    from rnnviz import export

    loaded = set(re.findall(r'load\("([\w-]+\.js)"\)', export._LIVE_PAGE))
    assert {"live_plot.js", "offline_server.js", "map_plot.js"} <= loaded
    assert loaded <= set(modules) | set(maps)


def test_the_page_loads_the_cartesian_bundle_of_the_plotly_js_the_package_ships(
    tmp_path, monkeypatch
):
    """The cartesian bundle (make fetches it) when it is there for the plotly package's own
    plotly.js version; the package's full bundle, copied, when it is not or is another's."""
    import plotly

    source = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"
    version = live_plot.bundled_version(source)
    assert re.fullmatch(r"\d+\.\d+\.\d+", version)
    monkeypatch.setattr(live_plot, "STATIC", tmp_path)
    full = live_plot.plotly_js()
    assert full.startswith("plotly-") and "cartesian" not in full
    assert (tmp_path / full).stat().st_size == source.stat().st_size
    (tmp_path / "plotly-cartesian-0.0.1.min.js").write_text("/**\n* plotly.js (cartesian) v0.0.1")
    assert live_plot.plotly_js() == full  # another version's bundle is not used
    header = f"/**\n* plotly.js (cartesian - minified) v{version}\n*/"
    (tmp_path / f"plotly-cartesian-{version}.min.js").write_text(header)
    assert live_plot.plotly_js() == f"plotly-cartesian-{version}.min.js"
    assert live_plot.bundled_version(tmp_path / live_plot.plotly_js()) == version
