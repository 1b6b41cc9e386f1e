// What every mounted plot component shares (the live plot, the outcome maps): state kept per
// mounted element, parts received by id, plotly.js's config, listeners removed together,
// resizes that wait for draws, and errors reported.

export const CONFIG = {
  displaylogo: false,
  responsive: false,
  scrollZoom: false,
  // No "Share chart..." (plotly.js 4 shows it by default; it uploads the figure to a cloud
  // service): off, and its button removed by name should the default come back (issue 17).
  showSendToCloud: false,
  modeBarButtonsToRemove: ["select2d", "lasso2d", "sendChartToCloud"],
};

// px above a plot area that the modebar (25 px, 2 px from the top) sits in, clear of the
// colour bars' titles at the plot's top right (issue 17); the surface's own layout says the
// same (rnnviz/panels/surface.py MODEBAR_ROOM).
export const MODEBAR_ROOM = 34;

// The mount function Streamlit's components v2 (and the offline HTML) calls with each new
// {parentElement, data, setTriggerValue}: create(root) makes the state of a new element,
// update(state, data) takes the data, destroy(state) frees an element that left the page.
export function mounter({ create, update, destroy }) {
  const states = new WeakMap(); // mounted element -> its state: never a global
  return function mount(component) {
    const root = component.parentElement;
    let state = states.get(root);
    if (!state) {
      state = create(root);
      states.set(root, state);
    }
    state.component = component; // the newest one carries the live setTriggerValue
    update(state, component.data || {});
    // Streamlit also calls the cleanup of a mount call that new data overtook while it was
    // still loading (the element stays), so only an element that has left the page is
    // destroyed: destroying on every call purged live plots mid-draw ("e.emit is not a
    // function" from Plotly.react).
    return () => setTimeout(() => {
      if (root.isConnected || states.get(root) !== state) return;
      states.delete(root);
      state.destroyed = true; // draws and frames still queued find nothing to do
      destroy(state);
    }, 0);
  };
}

// Listeners added through one group, removed together (a plot's cleanup, a legend redrawn).
export function listeners() {
  const removers = [];
  return {
    on(target, type, handler, options) {
      target.addEventListener(type, handler, options);
      removers.push(() => target.removeEventListener(type, handler, options));
    },
    // any other undoing (an observer's disconnect) done with the group's
    add(remove) {
      removers.push(remove);
    },
    clear() {
      removers.splice(0).forEach((remove) => remove());
    },
  };
}

// plotly.js's modebar buttons out of the Tab order (issue 17): the plot's own toolbar and keys
// serve the keyboard, and the modebars' 24 buttons stood between the plot's toolbar and the
// rest of the page. plotly.js builds its modebar anew when it draws, so every button it adds is
// marked as it comes. Returns the function that stops watching gd.
export function modebarOutOfTabs(gd) {
  const mark = () => {
    for (const button of gd.querySelectorAll(".modebar-btn:not([tabindex='-1'])")) {
      button.setAttribute("tabindex", "-1");
    }
  };
  const observer = new MutationObserver(mark);
  observer.observe(gd, { childList: true, subtree: true });
  mark();
  return () => observer.disconnect();
}

// Keeps the parts that came with their values; false (and asks for them with a "missing"
// trigger) when a part came by id alone that this plot does not hold: the server sends a part
// once per session, and a remounted plot has lost it.
export function receiveParts(state, data) {
  const missing = [];
  for (const [name, part] of Object.entries(data.parts || {})) {
    const known = state.parts[name];
    if (part.value !== undefined) state.parts[name] = { id: part.id, value: part.value };
    else if (!known || known.id !== part.id) missing.push(name);
  }
  if (missing.length) state.component.setTriggerValue("missing", missing);
  return missing.length === 0;
}

// The ids of the parts held: the same key means a rerun changed nothing to draw.
export const partsKey = (state) => Object.values(state.parts).map((p) => p.id).join("|");

export function reportError(error) {
  // An interrupted Plotly.animate rejects with undefined (platform notes): nothing to report.
  if (error !== undefined) console.error("live plot:", error);
}

// A ResizeObserver that resizes plots() once the draw in progress (state.drawn) is done:
// plotly.js drawing a plot twice at once leaves stale copies of its colour bars behind (seen
// here: three cost bars, one of them black). Plots not drawn yet or off the page are skipped.
export function resizeAfterDraws(state, plots, onError) {
  let queued = false;
  return new ResizeObserver(() => {
    // (a redraw on its way draws the new size anyway, and no frame runs while it does)
    if (queued || !state.drawn || state.redrawTimer !== undefined && !state.ready) return;
    queued = true;
    state.drawn = state.drawn.then(() => {
      queued = false;
      if (state.destroyed) return undefined;
      const drawn = plots().filter((gd) => gd._fullLayout && gd.isConnected);
      return Promise.all(drawn.map((gd) => window.Plotly.Plots.resize(gd)));
    }).catch(onError);
  });
}
