"""`singleton scan` as a Ray job: every option of `singleton scan`, always on the Ray engine, and as many
workers as the cluster holds (its CPUs / --cpus-per-worker) unless --workers says otherwise.

    ray job submit --address http://HEAD:8265 --working-dir . \
        --runtime-env-json '{"excludes": [".venv", ".git", "data"]}' \
        -- python pipelines/ray_job.py /shared/corpus --out /shared/scans/corpus --domain-from-url url

Inside a job, Ray sets RAY_ADDRESS, so the scan joins the job's cluster; run directly, it uses --ray-address,
$RAY_ADDRESS or a local Ray. Rerun the same command after a failure to finish what is left (pipelines/README.md).
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

from singleton.cli import build_parser, main
from singleton.engines import check_engine
from singleton.errors import SingletonError


def job_arguments(argv: Sequence[str]) -> list[str]:
    """This job's `singleton scan` arguments: the caller's, the Ray engine, and workers sized to the cluster."""
    args = build_parser().parse_args(["scan", *argv])
    sized: list[str] = []
    if args.workers is None:
        check_engine("ray")
        from singleton.engines.ray import cluster_workers, connect

        connect(args.ray_address)
        sized = ["--workers", str(cluster_workers(args.cpus_per_worker))]
    return ["scan", *argv, *sized, "--engine", "ray"]


if __name__ == "__main__":
    try:
        arguments = job_arguments(sys.argv[1:])
    except SingletonError as error:
        print(error, file=sys.stderr)
        sys.exit(error.exit_code)
    sys.exit(main(arguments))
