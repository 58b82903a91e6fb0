"""Every component id of the app, in one place."""

from enum import Enum


class ID(str, Enum):
    def __str__(self) -> str:
        return self.value

    URL = "url"  # read: the link on load, Back and Forward
    URL_PUSH = "url-push"  # written: the page's new state (see layout.build)
    URL_APPLIED = "url-applied"
    URL_WRITTEN = "url-written"
    URL_NOTE = "url-note"
    NOTICE = "illustrative-notice"
    LANG_MENU = "lang-menu"
    VIEWS = "view-select"
    CONDITIONS = "condition-select"
    CONDITION_FILTER = "condition-filter"
    CONDITIONS_CHOSEN = "conditions-chosen"
    CATEGORIES = "category-select"
    CATEGORIES_LABEL = "categories-label"
    MERIDIANS = "meridian-select"
    MERIDIANS_LABEL = "meridians-label"
    MERIDIANS_ALL = "meridians-all"
    MERIDIANS_NONE = "meridians-none"
    SEARCH = "search-input"
    SEARCH_NOTE = "search-note"
    LABELS = "labels-switch"
    CHANNELS = "channels-switch"
    FIT = "fit-switch"
    SCENE = "scene-plot"
    SCENE_TURN = "scene-turn"
    SCENE_PROBLEM = "scene-problem"
    GRID = "view-grid"
    DRAWER = "controls-drawer"
    DRAWER_TITLE = "controls-drawer-title"
    DRAWER_OPEN = "controls-drawer-open"
    CATALOGUE = "catalogue"
    FIGURES = "figures"
    PAYLOAD = "filter-payload"
    SELECTED = "selected-point"
    APPLIED = "applied"
    RESULTS = "results-list"
    RESULTS_COUNT = "results-count"
    DETAILS = "point-details"
    EXPORT_TITLE = "export-title"
    EXPORT_PAPER = "export-paper"
    EXPORT_LANDSCAPE = "export-landscape"
    EXPORT_FORMAT = "export-format"
    EXPORT_TABLE = "export-table"
    EXPORT_FRAME = "export-frame"
    EXPORT_LINK = "export-link"
    PAGE = "page"
    BROWSE = "browse"
    MODE = "page-mode"
    LESSON = "lesson-store"
    LESSON_PANEL = "lesson-panel"
    LESSON_BANNER = "lesson-banner"
    LESSON_HEADING = "lesson-heading"
    LESSON_HINT = "lesson-hint"
    LESSON_TITLE = "lesson-title"
    LESSON_INTRO = "lesson-intro"
    LESSON_STATUS = "lesson-status"
    LESSON_POINTS = "lesson-points"
    LESSON_ONLY = "lesson-only"
    LESSON_DOWNLOAD = "lesson-download"
    LESSON_UPLOAD = "lesson-upload"
    LESSON_UPLOAD_REFUSED = "lesson-upload-refused"
    LESSON_CLEAR = "lesson-clear"
    LESSON_PROBLEMS = "lesson-problems"
    LESSON_SHARE = "lesson-share"
    LESSON_LINK = "lesson-link"
    LESSON_COPY = "lesson-copy"
    LESSON_QUIZ_LINK = "lesson-quiz-link"
    LESSON_QUIZ_COPY = "lesson-quiz-copy"
    LESSON_COPIED = "lesson-copied"
    LESSON_QUIZ_FIND = "lesson-quiz-find"
    LESSON_QUIZ_NAME = "lesson-quiz-name"
    QUIZ = "quiz"
    QUIZ_STATE = "quiz-state"
    QUIZ_SAVED = "quiz-saved"
    QUIZ_CLICK = "quiz-click"
    QUIZ_DRAWN = "quiz-drawn"
    QUIZ_TITLE = "quiz-title"
    QUIZ_PROGRESS = "quiz-progress"
    QUIZ_QUESTION = "quiz-question"
    QUIZ_GRAPH = "quiz-graph"
    QUIZ_FEEDBACK = "quiz-feedback"
    QUIZ_DETAILS = "quiz-details"
    QUIZ_CHOICES = "quiz-choices"
    QUIZ_NEXT = "quiz-next"
    QUIZ_REVEAL = "quiz-reveal"
    QUIZ_WITHIN = "quiz-within"
    QUIZ_SUMMARY = "quiz-summary"
    QUIZ_AGAIN = "quiz-again"
    QUIZ_CSV = "quiz-csv"
    QUIZ_DONE = "quiz-done"
    QUIZ_FOCUS = "quiz-focus"
    QUIZ_TASKS = "quiz-tasks"
    QUIZ_LEAVE = "quiz-leave"


def graph_id(view: str) -> str:
    return f"graph-{view}"


def panel_id(view: str) -> str:
    return f"panel-{view}"


def summary_id(view: str) -> str:
    return f"summary-{view}"


CONDITION_GROUP = "condition-group"
# The lesson panel's per-point controls and the quiz's choices: {"type": ..., "index": n}.
LESSON_ADD = "lesson-add"
LESSON_UP = "lesson-up"
LESSON_DOWN = "lesson-down"
LESSON_REMOVE = "lesson-remove"
LESSON_NOTE = "lesson-note"
QUIZ_CHOICE = "quiz-choice"


def condition_group_id(group: str) -> dict:
    """One checklist of conditions per group; callbacks take them all (``ALL``)."""
    return {"type": CONDITION_GROUP, "group": group}
