// The plot's own controls: the toolbar (play, speed, steps, scrubber, link, pictures,
// fullscreen) and the keys it owns on the page.

import { reportError } from "./mount.js";
import { seek, togglePlay } from "./player.js";
import { savePicture } from "./snapshot.js";

export const TOOLBAR = `
      <div class="lp-bar" role="toolbar" aria-label="animation">
        <button type="button" class="lp-play" aria-keyshortcuts="Space">▶ play</button>
        <label class="lp-speed-label">speed
          <select class="lp-speed" aria-label="speed">
            <option value="0.25">¼×</option><option value="0.5">½×</option>
            <option value="1" selected>1×</option><option value="2">2×</option><option value="4">4×</option>
          </select>
        </label>
        <button type="button" class="lp-first" aria-label="first iteration" aria-keyshortcuts="Home">|◀</button>
        <button type="button" class="lp-back" aria-label="one iteration back" aria-keyshortcuts="ArrowLeft">◀</button>
        <button type="button" class="lp-forward" aria-label="one iteration on" aria-keyshortcuts="ArrowRight">▶</button>
        <button type="button" class="lp-last" aria-label="last iteration" aria-keyshortcuts="End">▶|</button>
        <input type="range" class="lp-scrub" min="0" max="0" step="1" value="0" aria-label="iteration">
        <span class="lp-iteration">0 / 0</span>
        <span class="lp-tools">
          <button type="button" class="lp-copy" title="a link to this view at this iteration">copy link</button>
          <button type="button" class="lp-png" title="this frame as a picture, at twice the screen's resolution">PNG</button>
          <button type="button" class="lp-svg" title="this frame as vector graphics (the surface stays a picture inside)">SVG</button>
        </span>
        <button type="button" class="lp-fullscreen" title="fullscreen (Esc leaves it)">fullscreen</button>
      </div>`;

export function wireControls(state, on) {
  const el = state.el;
  on(el.play, "click", () => togglePlay(state));
  on(el.box.querySelector(".lp-first"), "click", () => seek(state, 0));
  on(el.box.querySelector(".lp-back"), "click", () => seek(state, state.index - 1));
  on(el.box.querySelector(".lp-forward"), "click", () => seek(state, state.index + 1));
  on(el.box.querySelector(".lp-last"), "click", () => seek(state, Infinity));
  on(el.scrub, "input", () => seek(state, Number(el.scrub.value)));
  on(el.copy, "click", () => {
    // This view's link (the page's own URL holds every setting) at the iteration shown.
    const link = new URL(window.location.href);
    link.searchParams.set("frame", String(state.index));
    const done = (text) => {
      el.copy.textContent = text;
      setTimeout(() => { el.copy.textContent = "copy link"; }, 1500);
    };
    if (!navigator.clipboard) return done("copy failed"); // plain http on another host
    navigator.clipboard.writeText(link.href).then(() => done("copied ✓"), () => done("copy failed"));
  });
  for (const kind of ["png", "svg"]) {
    const button = el.box.querySelector(`.lp-${kind}`);
    on(button, "click", () => {
      button.disabled = true;
      savePicture(state, kind).catch(reportError).finally(() => { button.disabled = false; });
    });
  }
  on(el.fullscreen, "click", () => {
    // The component's own fullscreen moves nothing out of the page: the same nodes, plots and
    // animation fill the screen (plotly's modebar fullscreen lost the frames, issue 7).
    const entering = !document.fullscreenElement;
    // The button would keep the focus, and Space on a focused button clicks it: a lecturer's
    // Space left fullscreen instead of playing. The plot takes the focus first, before the
    // screen changes (a key pressed meanwhile already goes to the plot).
    if (entering) el.box.focus({ preventScroll: true });
    const request = entering ? el.box.requestFullscreen() : document.exitFullscreen();
    Promise.resolve(request).catch(reportError);
  });
  on(document, "fullscreenchange", () => {
    const full = document.fullscreenElement === el.box;
    el.box.classList.toggle("lp-full", full);
    el.fullscreen.textContent = full ? "exit fullscreen" : "fullscreen";
    if (full) el.box.focus({ preventScroll: true }); // however fullscreen was entered
  });
}

// Keys belong to the plot unless a text box, a list or a slider has the focus: Streamlit's
// sliders are [role=slider] and keep their arrows. Buttons keep Space and Enter (a click).
export function wireKeys(state, on) {
  const handler = (event) => {
    if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) return;
    const target = event.composedPath()[0];
    const ours = target === state.el.scrub;
    const editable = target instanceof Element && target.closest(
      "input, textarea, select, [contenteditable=''], [contenteditable=true], [role=slider], [role=combobox], [role=listbox]");
    if (editable && !ours) return;
    const isButton = target instanceof Element && target.closest("button, summary, [role=button], a");
    const step = event.shiftKey ? 10 : 1;
    const actions = {
      " ": () => togglePlay(state),
      ArrowLeft: () => seek(state, state.index - step),
      ArrowRight: () => seek(state, state.index + step),
      Home: () => seek(state, 0),
      End: () => seek(state, Infinity),
    };
    // Digits go to the page (its stories, say): the plot only passes them on.
    if (/^[1-9]$/.test(event.key)) actions[event.key] = () => state.component.setTriggerValue("key", event.key);
    const action = actions[event.key];
    if (!action || (isButton && event.key === " ")) return;
    event.preventDefault();
    event.stopPropagation();
    action();
  };
  on(document, "keydown", handler, { capture: true });
}
