"""Name normalisation and comparison, Latin and Chinese (script-aware). Pure: no I/O beyond
the bundled vocabulary files."""

from cloudkyc.names.analyze import NameForm, Variant, analyze, is_screenable
from cloudkyc.names.compare import compare_names

__all__ = ["NameForm", "Variant", "analyze", "compare_names", "is_screenable"]
