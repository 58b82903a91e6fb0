"""Every component id of the app, in one place."""

from enum import Enum


class ID(str, Enum):
    def __str__(self) -> str:
        return self.value

    VIEW = "view-select"
    FIGURE = "body-figure"
    RESULTS = "results-list"
    RESULTS_COUNT = "results-count"
    NOTICE = "illustrative-notice"
