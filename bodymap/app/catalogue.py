"""What the browser keeps for the whole visit: every point's names and
meridian, in one order, so filter answers can be a bitmask."""

from __future__ import annotations

from ..figure import view_cun
from ..i18n import _, caution_kind
from ..model import CAUTION_KINDS, Atlas
from ..serialise import category_text
from .ids import graph_id
from .state import app_views, catalogue_order, category_masks, condition_masks


def build(atlas: Atlas) -> dict:
    order = catalogue_order(atlas)
    index = {code: i for i, code in enumerate(order)}
    return {
        "conditions": condition_masks(atlas, index),
        "condition_names": {cid: c.name for cid, c in atlas.conditions.items()},
        "codes": order,
        "names": [f"{atlas.points[c].pinyin} {atlas.points[c].hanzi}".strip() for c in order],
        "english": [atlas.points[c].english for c in order],
        "meridians": [atlas.points[c].meridian for c in order],
        "cautions": [sorted({k.kind for k in atlas.points[c].cautions}) for c in order],
        "caution_kinds": {kind: caution_kind(kind) for kind in CAUTION_KINDS},
        "categories": category_masks(atlas, index),
        # The results list's compact badges: "Back-shu (kidney)".
        "badges": [[category_text(atlas, k, compact=True) for k in atlas.points[c].categories]
                   + ([_("outside the WHO list")] if atlas.points[c].outside_who else []) for c in order],
        "colours": {m.code: m.colour for m in atlas.meridians.values()},
        "views": list(app_views(atlas)),
        "graphs": {view: graph_id(view) for view in atlas.views},
        # For "Fit to points": each drawn view's whole box and its cun (view units), so the
        # browser can frame the shown points about two cun round.
        "frames": {vid: {"box": list(view.silhouette.view_box), "cun": round(view_cun(atlas, vid), 3)}
                   for vid, view in atlas.views.items()},
    }
