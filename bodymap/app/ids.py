"""Every component id of the app, in one place."""

from enum import Enum


class ID(str, Enum):
    def __str__(self) -> str:
        return self.value

    URL = "url"
    URL_APPLIED = "url-applied"
    URL_WRITTEN = "url-written"
    URL_NOTE = "url-note"
    NOTICE = "illustrative-notice"
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


def graph_id(view: str) -> str:
    return f"graph-{view}"


def panel_id(view: str) -> str:
    return f"panel-{view}"


def summary_id(view: str) -> str:
    return f"summary-{view}"


CONDITION_GROUP = "condition-group"


def condition_group_id(group: str) -> dict:
    """One checklist of conditions per group; callbacks take them all (``ALL``)."""
    return {"type": CONDITION_GROUP, "group": group}
