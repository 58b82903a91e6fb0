"""bodymap: an open body map of acupuncture and acupressure points.

Data flows one way: data files -> :func:`load_atlas` (validated model) ->
:func:`query` -> :func:`body_figure` -> the app and the CLI.
Every position is illustrative, not anatomical.
"""

from .loader import load_atlas
from .model import ILLUSTRATIVE_NOTICE, Atlas, Condition, Meridian, Placement, Point, Source, View
from .problems import DataError, Problem
from .query import Match, QueryError, QueryResult, query, search_points

__all__ = [
    "ILLUSTRATIVE_NOTICE",
    "Atlas",
    "Condition",
    "DataError",
    "Match",
    "Meridian",
    "Placement",
    "Point",
    "Problem",
    "QueryError",
    "QueryResult",
    "Source",
    "View",
    "body_figure",
    "load_atlas",
    "query",
    "search_points",
]

__version__ = "0.1.0"


def __getattr__(name: str):
    # plotly is slow to import; the CLI's list commands never draw.
    if name == "body_figure":
        from .figure import body_figure

        return body_figure
    raise AttributeError(f"module 'bodymap' has no attribute {name!r}")
