"""`singleton scan` on this machine with the local engine: the same job as ray_job.py, for a laptop or one
big node (worker processes = --workers, default the core count).

    python pipelines/local_job.py data/samples --out runs/samples --domain-from-url url

Rerun the same command after an interruption to finish what is left; a run started here can be finished by
ray_job.py on the same --out, and the reverse (pipelines/README.md).
"""

from __future__ import annotations

import sys

from singleton.cli import main

if __name__ == "__main__":
    sys.exit(main(["scan", *sys.argv[1:], "--engine", "local"]))
