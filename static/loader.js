// Loads the plot's code into a page: plotly.js and the CSS once per document, and the plot's
// ES modules linked as blobs, each fetched with its own version: a relative import drops the
// importer's "?v=", so a browser could keep a stale copy of any module but the first. The
// offline HTML export (rnnviz/export.py) links the same modules from its own inline text.
//
// live_plot.py's components import this file and export component(...) or preload(...) as
// their default, with config {plotly: plotly.js's file name, versions: {file: version}}.

// A relative import the linker follows: a line `import ... from "./name.js"` (or export ...
// from). tests/test_static.py checks that every import under static/ is one, and that they
// form no cycle: a cycle cannot be linked this way (a module's blob URL exists only once its
// imports have theirs).
const RELATIVE = /^(\s*(?:import|export)\b[^"\n]*\bfrom\s*)"\.\/([\w-]+\.js)"/gm;

// load(name) -> a promise of the module's namespace, for modules whose text read(name) gives
// (a string or a promise of one): the modules it imports are linked first and its specifiers
// rewritten to their blob URLs; each module is linked once.
export function linker(read) {
  const urls = new Map(); // module name -> a promise of its blob URL
  const link = (name) => {
    if (!urls.has(name)) urls.set(name, Promise.resolve(read(name)).then(async (text) => {
      if (typeof text !== "string") throw new Error(`no module ${name} to load`);
      const names = [...new Set(Array.from(text.matchAll(RELATIVE), (match) => match[2]))];
      const linked = new Map(await Promise.all(names.map(async (n) => [n, await link(n)])));
      const source = text.replace(RELATIVE, (_, from, n) => from + JSON.stringify(linked.get(n)));
      // sourceURL: the browser's tools and error stacks name the file, not a blob
      const blob = new Blob([`${source}\n//# sourceURL=${name}\n`], { type: "text/javascript" });
      return URL.createObjectURL(blob);
    }));
    return urls.get(name);
  };
  return (name) => link(name).then((url) => import(url));
}

// Each document's linker of the served modules: every module is linked once per page, however
// many components load it (the preloader, the plot, the maps).
const SERVED = new WeakMap();

function served(config) {
  if (!SERVED.has(document)) {
    SERVED.set(document, linker((name) => fetch(staticUrl(config, name)).then((response) => {
      if (!response.ok) throw new Error(`${name}: HTTP ${response.status}`);
      return response.text();
    })));
  }
  return SERVED.get(document);
}

// A file under static/, beside this one, with its version (so a changed file is fetched anew).
const staticUrl = (config, name) => new URL(`${name}?v=${config.versions[name] || ""}`, import.meta.url).href;

// One element per document: plotly.js is a UMD bundle that defines window.Plotly.
function once(tag, attributes) {
  let element = document.getElementById(attributes.id);
  if (!element) {
    element = Object.assign(document.createElement(tag), attributes);
    document.head.appendChild(element);
  }
  return element;
}

function plotlyReady(config) {
  if (window.Plotly) return Promise.resolve();
  const script = once("script", { id: "rnnviz-plotly", src: new URL(config.plotly, import.meta.url).href });
  return new Promise((resolve, reject) => {
    script.addEventListener("load", resolve, { once: true });
    const failed = () => reject(new Error("plotly.js did not load"));
    script.addEventListener("error", failed, { once: true });
    if (window.Plotly) resolve();
  });
}

function styled(config) {
  once("link", { id: "rnnviz-live-plot-css", rel: "stylesheet", href: staticUrl(config, "live_plot.css") });
}

// A component's default export: plotly.js and the module entry (its export mount) loaded
// once, then mount(component) on every call.
export function component(config, entry) {
  return async (mounted) => {
    styled(config);
    const [{ mount }] = await Promise.all([served(config)(entry), plotlyReady(config)]);
    return mount(mounted);
  };
}

// A component with nothing to show that starts loading plotly.js and the module entry: mounted
// first in the sidebar, plotly.js (4.8 MB to parse) loads while Streamlit is still drawing the
// page's widgets; the plot's own mount comes some 500 ms later (issue 7).
export function preload(config, entry) {
  return () => {
    styled(config);
    plotlyReady(config).catch(() => {}); // the plot itself reports a failure to load
    served(config)(entry).catch(() => {});
  };
}
