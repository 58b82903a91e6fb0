"""Languages: interface strings through gettext catalogs, data texts through the atlas.

``activate(lang)`` sets the language for the code that runs inside it (a request, a
command); ``_`` and ``ngettext`` translate interface strings into it, and
``localize(atlas, lang)`` gives the atlas with its texts in that language. A text
with no translation is English, marked as such (:class:`Fallback`).
"""

from ._catalog import N_, _, activate, current, gettext, locale_dir, ngettext, pgettext, restore, switch, translator
from ._choose import negotiate, supported
from ._localize import Fallback, coverage, localize, marked
from ._terms import caution_kind

__all__ = ["N_", "_", "activate", "current", "gettext", "locale_dir", "ngettext", "pgettext", "restore", "switch",
           "translator",
           "negotiate", "supported", "Fallback", "coverage", "localize", "marked", "caution_kind"]
