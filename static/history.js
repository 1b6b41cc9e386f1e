// The browser's history of the page: one entry per settled view, so that Back returns to the
// view before, and the iteration shown kept in the URL (?frame=N), so that a reload opens there.
//
// Streamlit writes the page URL itself (1.67): a bound widget's change replaces the current
// entry (history.replaceState, so Back left the app), and every write to st.query_params from
// Python pushes one (a story made four entries, most of them half-written views). So while the
// plot is mounted, Streamlit's pushes become replaces, and the plot pushes one entry itself
// once the page has settled on a new query (the script idle, no URL write for SETTLE_MS).
// Back and Forward (popstate) need nothing from here but the iteration: Streamlit reruns the
// script with that entry's query and seeds the bound widgets from it (is_history_navigation).
//
// The frame is written in place (replaceState, never an entry of its own) once the animation
// is paused or stepped, never while it plays (an iterate a screen refresh); a URL write of
// Streamlit's that drops it is followed by writing it again. State is per mounted plot
// (state.history).

import { seek } from "./player.js";

const SETTLE_MS = 400; // after the last rerun or URL write: the view has settled
const NAVIGATION_MS = 2000; // after Back or Forward, if no rerun reports in before
const FRAME_MS = 250; // after the last step: the URL's ?frame= follows

// The URL's query without its frame, in a fixed order: the view it shows. Python and the
// browser write the same parameters in different orders.
function viewOf(href) {
  const query = new URL(href).searchParams;
  query.delete("frame");
  return [...query].map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).sort().join("&");
}

// The iteration a URL shows: its ?frame= (absent: the first).
function frameOf(href) {
  const text = new URL(href).searchParams.get("frame");
  return text !== null && /^\d{1,6}$/.test(text.trim()) ? Number(text) : text === null ? 0 : null;
}

// Called on every update of a plot on the page (not the offline export, which has no server
// and, opened from a file, no history to keep).
export function followHistory(state) {
  if (state.component.offline || state.destroyed) return;
  if (!state.history) state.history = startHistory(state);
  settleSoon(state, SETTLE_MS);
}

function startHistory(state) {
  const h = {
    entry: window.location.href, // the current entry as the plot last settled it
    navigating: false, // Back or Forward: the rerun that follows makes no entry
    settleTimer: 0,
    frameTimer: 0,
  };
  const on = state.listeners.on;
  // Streamlit's pushes as replaces; any write of its starts the wait for the view to settle.
  const original = { push: history.pushState, replace: history.replaceState };
  h.replace = (url) => original.replace.call(history, history.state, "", url);
  h.push = (url) => original.push.call(history, history.state, "", url);
  const patched = {
    pushState(data, unused, url) {
      original.replace.call(history, data, unused, url);
      settleSoon(state, SETTLE_MS);
    },
    replaceState(data, unused, url) {
      original.replace.call(history, data, unused, url);
      settleSoon(state, SETTLE_MS);
    },
  };
  Object.assign(history, patched);
  onCleanup(on, () => {
    // the plot left the page: history is the browser's again
    for (const [name, fn] of Object.entries(patched)) if (history[name] === fn) delete history[name];
    clearTimeout(h.settleTimer);
    clearTimeout(h.frameTimer);
  });
  on(window, "popstate", () => {
    h.entry = window.location.href;
    h.navigating = true;
    settleSoon(state, NAVIGATION_MS);
    const frame = frameOf(h.entry);
    if (frame === null || frame === state.index || !state.ready) return;
    seek(state, frame);
    // the entry's run, drawn by the rerun, may be longer than the one on screen: its frame,
    // not the one this run could show, is where the new draw starts
    state.index = frame;
  });
  // The iteration shown, as the person sees it (the counter) and the player's state (the play
  // button): a change of either, once the animation stands still, is written to the URL.
  const observer = new MutationObserver(() => frameSoon(state));
  observer.observe(state.el.iteration, { childList: true, characterData: true, subtree: true });
  observer.observe(state.el.play, { attributes: true, attributeFilter: ["aria-pressed"] });
  onCleanup(on, () => observer.disconnect());
  // (A write at beforeunload or pagehide is too late for a reload: Chromium reloads the URL
  // the entry had when the reload began, measured; a reload within FRAME_MS loses the step.)
  return h;
}

// fn run with the plot's cleanup, which removes what its listeners group added
function onCleanup(on, fn) {
  on({ addEventListener() {}, removeEventListener: fn }, "cleanup", null);
}

function settleSoon(state, ms) {
  const h = state.history;
  if (!h) return;
  clearTimeout(h.settleTimer);
  h.settleTimer = setTimeout(() => settle(state), ms);
}

// Streamlit marks its app running or not (the attribute its own tests read); a view is not
// settled while a rerun may still write the URL.
const scriptRunning = () => !!document.querySelector("[data-test-script-state=running]");

function settle(state) {
  const h = state.history;
  if (state.destroyed) return;
  if (scriptRunning()) return settleSoon(state, SETTLE_MS);
  const now = window.location.href;
  if (h.navigating) {
    h.navigating = false; // the entry Back or Forward chose, as its rerun left it
  } else if (viewOf(now) !== viewOf(h.entry)) {
    // a new view: the entry that showed the old one gets its URL back, the new one its own
    h.replace(h.entry);
    h.push(now);
  }
  h.entry = now;
  writeFrame(state); // a write of Streamlit's may have dropped it
}

function frameSoon(state) {
  const h = state.history;
  if (!h || state.playing) return;
  clearTimeout(h.frameTimer);
  h.frameTimer = setTimeout(() => writeFrame(state), FRAME_MS);
}

// The URL's ?frame= made the iteration shown, in place, when the animation stands still.
function writeFrame(state) {
  const h = state.history;
  if (!h || h.navigating || state.destroyed || state.playing || !state.ready) return;
  if (!state.run || !state.run.count) return;
  clearTimeout(h.frameTimer);
  if (frameOf(window.location.href) === state.index) return;
  // The other parameters kept as Streamlit wrote them (URLSearchParams would encode them anew)
  const url = new URL(window.location.href);
  const others = url.search.slice(1).split("&").filter((p) => p && !/^frame(=|$)/.test(p));
  url.search = [...others, `frame=${state.index}`].join("&");
  const settled = viewOf(url.href) === viewOf(h.entry);
  h.replace(url.href);
  if (settled) h.entry = url.href;
}
