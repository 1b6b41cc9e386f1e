// What the page's server would answer, for the offline HTML (rnnviz/export.py), which has none
// (issue 18: a lecture from a USB stick). A story asked for (the stage's arrows, keys 1 to 7)
// is one of the lecture's scenes (dashboard/lecture.py), drawn as the server drew it; a knob,
// a dragged start or a map's cell keeps the run the page trained (static/preview.js: the
// component says it is offline). Anything else goes nowhere.

// mount: the live plot's; plot: its element; data: the plot's data, with data.lecture if the
// file carries one. Returns the component object to mount the plot (and the maps) with.
export function offlineServer(mount, plot, data) {
  const lecture = data.lecture;
  let scene = lecture ? lecture.at : 0;
  const server = {
    offline: true,
    setStateValue() {},
    setTriggerValue(name, value) {
      if (!lecture) return;
      const count = lecture.scenes.length;
      const story = lecture.first_story + Number(value) - 1; // keys 1 to 7
      if (name === "story") show((scene + value + count) % count);
      else if (name === "key" && story < count) show(story);
    },
  };
  // a scene's data: its parts (by id in the lecture's table) and its stage
  const sceneData = (at) => {
    const s = lecture.scenes[at];
    const parts = Object.fromEntries(Object.entries(s.parts).map(
      ([name, id]) => [name, { id, value: lecture.parts[id] }]));
    return { ...data, parts, stage: s.stage };
  };
  // the scene drawn, and the words above the figure (the title, caption and settings) its own
  const show = (at) => {
    scene = at;
    const s = lecture.scenes[at];
    document.title = s.title;
    document.querySelector("h1").textContent = s.title;
    document.querySelector("p.caption").textContent = s.caption;
    document.querySelector("p.settings").textContent = s.settings;
    mount({ ...server, parentElement: plot, data: sceneData(at) });
  };
  mount({ ...server, parentElement: plot, data: lecture ? sceneData(scene) : data });
  return server;
}
