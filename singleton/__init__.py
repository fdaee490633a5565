"""singleton: how many arbitrary facts a corpus states exactly once, and what that forecasts.

The Python API the `singleton` command is a thin layer over; every function returns Polars frames or a Report.
"""

from __future__ import annotations

__version__ = "0.1.0"
