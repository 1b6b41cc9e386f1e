"""The lecture's stories on the page: the story box with its arrows and caption, a link's
?story=, keys 1 to 7, and Reset; and the notices a link or a typed value earned."""

import streamlit as st

from dashboard import links
from rnnviz import racer_grammar, specs, stories, url_codec

STORY_KEY, NO_STORY = "story", ""
NO_CHANGES = stories.Story("", "", {}, "")
DEFAULT_SEQUENCE = "011000010011"


def reset_to_tutorial():
    """Every control back to the tutorial's settings (the URL follows the widgets)."""
    show_story(None)
    st.session_state[STORY_KEY] = NO_STORY


def show_story(name):
    """Every control set as the story says (None: the tutorial's settings), the URL cleared."""
    story = stories.BY_NAME.get(name)
    for key, value in (stories.values(story) if story else stories.values(NO_CHANGES)).items():
        st.session_state[key] = value
    st.session_state["sequence"] = DEFAULT_SEQUENCE
    st.session_state.url_notices = {}
    st.session_state.typed_notices = {}
    st.session_state.story_shown = name
    links.clear_page_url(keep=specs.DISPLAY_KEYS)
    links.set_param(STORY_KEY, name if story else None)


def story_chosen():
    """The story box changed."""
    show_story(st.session_state[STORY_KEY] or None)


def story_by_number(number):
    """Keys 1 to 9 over the page: the story of that number."""
    if 1 <= number <= len(stories.STORIES):
        st.session_state[STORY_KEY] = stories.STORIES[number - 1].name
        story_chosen()


def chosen():
    """The name of the story chosen last (by the box, a key, an arrow or a link), or None.

    Kept apart from the box's own state: in presenter mode the box is not drawn (the figure's
    stage shows the story), and Streamlit forgets the state of a widget it did not draw."""
    return st.session_state.get("story_shown") or None


def story_step(step):
    """The previous (-1) or next (+1) story, round the list."""
    names = [story.name for story in stories.STORIES]
    now = chosen()
    at = names.index(now) if now in names else (-1 if step > 0 else 0)
    story_by_number((at + step) % len(names) + 1)


def check_link():
    """Before any widget reads the URL: correct it, take its story, and return the iteration
    its ?frame= asks for (or None).

    Impossible values move to the nearest valid one and malformed ones fall back to the
    default, each with a notice that stays until that control is changed (or Reset). A
    link's ?story= sets every control the link itself does not.
    """
    st.session_state.setdefault("url_notices", {})
    st.session_state.setdefault("typed_notices", {})
    st.session_state.url_notices.update(links.check_page_url())
    story_in_link, story_notice = links.page_choice(STORY_KEY, (NO_STORY, *stories.BY_NAME))
    # Back or Forward replays an entry's URL: its story, or none (a story stays in the URL
    # while it is chosen), whatever the view before it showed
    navigating = links.history_navigation()
    if not story_in_link and navigating:
        st.session_state.story_shown = None
        st.session_state[STORY_KEY] = NO_STORY
    if story_in_link and (navigating or st.session_state.get("story_shown") != story_in_link):
        unsaid = {
            key: value
            for key, value in stories.values(stories.BY_NAME[story_in_link]).items()
            if key not in st.query_params
        }
        for key, value in unsaid.items():
            st.session_state[key] = value
        if navigating:  # Streamlit seeds a control the URL leaves out with its default
            links.seed_from_link({key: _link_text(key, value) for key, value in unsaid.items()})
        st.session_state.story_shown = story_in_link
        st.session_state[STORY_KEY] = story_in_link
    start_frame, frame_notice = links.page_frame()
    # (notice, the value it leaves): no story; no frame (not a control, so never in the state)
    for key, notice, left in ((STORY_KEY, story_notice, NO_STORY), ("frame", frame_notice, None)):
        if notice:
            st.session_state.url_notices[key] = (notice, left)
    return start_frame


def _link_text(key, value):
    """What the URL holds for a control's value (None: its default)."""
    if key == racer_grammar.RACERS_KEY:
        return list(value) or None
    return url_codec.url_text(key, value)


def shown_story(controls, run):
    """(the story chosen or None, its caption for the run on screen, or None once the controls
    no longer show it)."""
    story = stories.BY_NAME.get(chosen() or "")
    if story is None or not stories.holds(story, controls.link_values):
        return story, None
    return story, stories.caption(story, run, controls.values)


def story_bar(controls, shown):
    """The story box, its arrows and the story's caption; shown: (story, caption) from
    shown_story."""
    if STORY_KEY not in st.session_state:  # the box was not drawn last run: it shows the story
        st.session_state[STORY_KEY] = chosen() or NO_STORY
    with st.container(border=True, key="story_bar"):
        # The box and its arrows on one row that wraps, each at its own width (columns
        # squeezed the arrows to nothing at 1024 px); the caption below, as wide as the page.
        with st.container(horizontal=True, vertical_alignment="bottom"):
            st.selectbox(
                f"Story (keys 1 to {len(stories.STORIES)})",
                (NO_STORY, *stories.BY_NAME),
                label_visibility="collapsed" if controls.present else "visible",
                format_func=lambda name: (
                    stories.BY_NAME[name].title if name else "— none: explore —"
                ),
                key=STORY_KEY,  # not bound: the URL holds the story's name, not its title
                on_change=story_chosen,
                help="Each story sets every control at once and says what to look at.",
                width=320,
            )
            st.button("◀", on_click=story_step, args=(-1,), help="previous story")
            st.button("▶", on_click=story_step, args=(1,), help="next story")
        story, caption = shown
        if story is None:
            st.caption(
                f"Pick a story, or press 1 to {len(stories.STORIES)} over the plot: "
                "each sets up one lesson."
            )
        elif caption is not None:
            st.markdown(f"**{story.title}.** " + links.plain(caption))
        else:
            st.caption(
                f"{story.title}: you have changed its settings, so its caption no longer "
                "describes the run. Choose the story again to return to it."
            )


def notices(range_notice):
    """The notices a link or a typed value earned; each stays while its control still holds
    the value it was corrected to."""
    for kind, prefix, icon in (
        ("url_notices", "Link corrected: ", ":material/link:"),
        ("typed_notices", "Corrected: ", ":material/edit:"),
    ):
        st.session_state[kind] = {
            key: (notice, used)
            for key, (notice, used) in st.session_state[kind].items()
            if st.session_state.get(key) == used
        }
        for notice, _ in st.session_state[kind].values():
            st.warning(prefix + links.plain(notice), icon=icon)
    if range_notice:
        st.warning(range_notice, icon=":material/crop:")


def frame_notice(start_frame, run):
    """A link's frame counts once, when the page opens (the plot applies it once too): one
    beyond the run is said, and the link mended to the run's last iteration."""
    opening = "frame_checked" not in st.session_state
    st.session_state.frame_checked = True
    last = len(run.weights) - 1
    if opening and start_frame is not None and start_frame > last >= 0:
        st.warning(
            f"Link corrected: frame={start_frame} is beyond this run's last iteration, "
            f"{last}; the plot starts there.",
            icon=":material/link:",
        )
        links.set_param("frame", str(last))
