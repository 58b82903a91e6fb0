"""Words the code itself says about the data, translated where they are shown."""

from __future__ import annotations

from ._catalog import N_, gettext

_CAUTION_KINDS = {
    "pregnancy": N_("pregnancy"),
    "deep-needling": N_("deep-needling"),
    "moxibustion": N_("moxibustion"),
    "other": N_("other"),
}
# The model's notice, marked here so the catalog carries it (the model stays free of gettext).
_NOTICE = N_("Point positions are illustrative, not anatomical.")


def caution_kind(kind: str) -> str:
    """A caution kind (``deep-needling``) as a reader says it, in the current language."""
    return gettext(_CAUTION_KINDS.get(kind, kind))
