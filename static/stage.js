// The stage: what a lecture needs inside the figure's own box, shown in presenter mode and in
// fullscreen (issue 17): the story (its title and caption, one line that a click expands, and
// arrows to the previous and next story) and the run's main knobs as sliders. The knobs are the
// page's own controls (data.stage from dashboard/stage.py): a slider released sets the control
// on the server ("set"), whose sidebar widget and URL follow (while it moves, the browser
// trains and draws the run itself: preview.js); an arrow asks for a story
// ("story": -1 or +1). Nothing here is under Streamlit's header or in the folded sidebar.

import { endPreview, previewKnob, settle } from "./preview.js";

export const STAGE = `
      <div class="lp-stage" role="group" aria-label="the lecture">
        <div class="lp-story">
          <button type="button" class="lp-story-step" data-step="-1" aria-label="previous story">◀</button>
          <p class="lp-story-text" tabindex="0" aria-expanded="false"
             title="click to show the whole caption"></p>
          <button type="button" class="lp-story-step" data-step="1" aria-label="next story">▶</button>
        </div>
        <div class="lp-knobs"></div>
      </div>`;

// On a stage the link and picture buttons and the way to every control wait behind "⋯" on
// the toolbar's line (a details element: Enter or Space opens it, a click elsewhere closes it).
const MORE = `
        <details class="lp-more">
          <summary aria-label="more: link, pictures, every control" title="link, pictures, every control">⋯</summary>
          <div class="lp-menu">
            <button type="button" class="lp-sidebar" title="every control, in the page's sidebar">controls</button>
          </div>
        </details>`;

export function wireStage(state, on) {
  const stage = state.el.box.querySelector(".lp-stage");
  state.el.stage = stage;
  state.el.story = stage.querySelector(".lp-story-text");
  state.el.knobs = stage.querySelector(".lp-knobs");
  for (const button of stage.querySelectorAll(".lp-story-step")) {
    on(button, "click", () => state.component.setTriggerValue("story", Number(button.dataset.step)));
  }
  const expand = () => {
    const open = state.el.story.getAttribute("aria-expanded") !== "true";
    state.el.story.setAttribute("aria-expanded", String(open));
  };
  on(state.el.story, "click", expand);
  // Presenter mode hides Streamlit's header, and with it the button that unfolds the sidebar:
  // this one presses it (or folds the sidebar again). Offline there is no sidebar.
  state.el.box.querySelector(".lp-fullscreen").insertAdjacentHTML("beforebegin", MORE);
  const more = state.el.box.querySelector(".lp-more");
  state.el.more = more;
  on(document, "pointerdown", (event) => {
    if (more.open && !event.composedPath().includes(more)) more.open = false;
  });
  on(more, "click", (event) => {
    if (event.target.closest(".lp-menu button")) more.open = false; // done: the menu folds
  });
  on(more, "keydown", (event) => {
    if (event.key !== "Escape" || !more.open) return;
    more.open = false;
    more.querySelector("summary").focus();
    event.stopPropagation(); // the menu's Escape, not the page's
  });
  const sidebarButton = more.querySelector(".lp-sidebar");
  on(sidebarButton, "click", () => {
    if (document.fullscreenElement) document.exitFullscreen().catch(() => {});
    pressSidebarButton();
  });
  sidebarButton.hidden = !document.querySelector("[data-testid=stSidebar], [data-testid=stExpandSidebarButton]");
  on(state.el.story, "keydown", (event) => {
    if (event.key === "Enter") expand();
  });
  // A knob moved: its number follows at once; released (or stepped by a key), the control
  // takes the value on the server, which draws the new run.
  on(state.el.knobs, "input", (event) => {
    const knob = knobOf(state, event.target);
    if (!knob) return;
    knob.output.textContent = shown(valueOf(knob));
    previewKnob(state, knob.spec, valueOf(knob)); // the run under the hand (preview.js)
  });
  on(state.el.knobs, "change", (event) => {
    const knob = knobOf(state, event.target);
    if (!knob || !knob.spec.sets && state.component.offline) return;
    // the server's run replaces the preview (live_plot.js); with no server, the preview stays
    settle(state, "set", { key: knob.spec.key, value: valueOf(knob) });
  });
}

// Streamlit's own button for the sidebar, pressed: it folds an open sidebar, opens a folded one.
export function pressSidebarButton() {
  const fold = document.querySelector("[data-testid=stSidebarCollapseButton] button");
  const open = document.querySelector("[data-testid=stExpandSidebarButton]");
  (open || fold)?.click();
}

// Where the link and picture buttons sit. On a stage (presenter mode, fullscreen, the offline
// lecture) and in a compact toolbar (a narrow column, a short screen) they wait in the "⋯"
// menu, so the story and its knobs take one line and the toolbar another on most projectors
// and the plots keep the rest (issue 17: four lines left the gradient view under a
// fifth of a 1024x768 screen). Elsewhere the toolbar shows them. The nodes move, their
// listeners with them.
export function arrangeStage(state) {
  const box = state.el.box;
  const staged = ["lp-present", "lp-full", "lp-staged", "lp-compact"].some((name) => box.classList.contains(name));
  if (staged === state.staged) return;
  state.staged = staged;
  const tools = box.querySelector(".lp-tools");
  if (staged) {
    state.el.more.querySelector(".lp-menu").prepend(tools);
  } else {
    state.el.more.open = false;
    state.el.more.before(tools);
  }
}

// The stage for data.stage: {story: {title, caption, changed, number, count}, knobs: [...]}.
export function updateStage(state, stage) {
  if (!stage) return;
  state.stageSettings = stage.settings; // the main run's RunSettings, which a knob changes
  state.stageStart = stage.start; // where a start dragged on the surface may go
  state.stageRacers = stage.racers || []; // each racer's settings, colour and dash
  const story = stage.story || {};
  const text = state.el.story;
  text.replaceChildren();
  if (story.title) {
    const title = document.createElement("strong");
    title.textContent = `${story.title}. `;
    text.append(title, story.changed
      ? "Its settings have changed: choose the story again to return to it."
      : story.caption || "");
  } else {
    text.append(`Pick a story with the arrows, or press 1 to ${story.count || 7}.`);
  }
  const knobs = stage.knobs || [];
  const keys = knobs.map((k) => k.key).join(" ");
  if (keys !== state.knobKeys) {
    state.knobs = {};
    state.el.knobs.replaceChildren(...knobs.map((spec) => knobElement(state, spec)));
    state.knobKeys = keys;
  }
  for (const spec of knobs) {
    const knob = state.knobs[spec.key];
    knob.spec = spec;
    // the one being held, or stepped by keys faster than the server answers, keeps the hand's
    // value until the server's answer to it (an earlier answer set back lost a key's step)
    if (document.activeElement === knob.input && (state.holding || state.runsAsked > 0)) continue;
    setValue(knob, spec.value);
    knob.output.textContent = shown(spec.value);
  }
}

export function holdingKnobs(state, on) {
  on(state.el.knobs, "pointerdown", () => { state.holding = true; });
  on(document, "pointerup", () => {
    if (!state.holding) return;
    state.holding = false;
    // Let go where it started, a knob asks the server for nothing: the preview, the run on
    // screen, goes (its change event, if any, comes first)
    setTimeout(() => { if (!state.awaitingRun) endPreview(state); }, 50);
  });
}

function knobElement(state, spec) {
  const label = document.createElement("label");
  label.className = "lp-knob";
  label.title = spec.help || "";
  const name = document.createElement("span");
  name.textContent = spec.label;
  const input = document.createElement("input");
  input.type = "range";
  input.setAttribute("aria-label", spec.label);
  if (spec.options) {
    Object.assign(input, { min: "0", max: String(spec.options.length - 1), step: "1" });
  } else {
    Object.assign(input, { min: String(spec.min), max: String(spec.max), step: String(spec.step) });
  }
  const output = document.createElement("output");
  label.append(name, input, output);
  // with no server (the offline lecture) a knob of the data or the view cannot be moved
  if (state.component.offline && !spec.sets) {
    input.disabled = true;
    label.title = `${spec.label}: needs the server (make run); this page trains the run only`;
  }
  state.knobs[spec.key] = { spec, input, output };
  return label;
}

const knobOf = (state, target) => Object.values(state.knobs || {}).find((k) => k.input === target);

function valueOf(knob) {
  const { spec, input } = knob;
  return spec.options ? spec.options[Number(input.value)] : Number(input.value);
}

function setValue(knob, value) {
  const { spec, input } = knob;
  if (spec.options) {
    // the option nearest the value on a log scale (the value is one of them)
    let best = 0;
    spec.options.forEach((option, k) => {
      if (Math.abs(Math.log(option || 1e-300) - Math.log(value || 1e-300))
        < Math.abs(Math.log(spec.options[best] || 1e-300) - Math.log(value || 1e-300))) best = k;
    });
    input.value = String(best);
  } else {
    input.value = String(value);
  }
}

const shown = (value) => (typeof value === "number" ? String(Number(value.toPrecision(4))) : String(value));
