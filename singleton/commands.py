"""One function per CLI command: call the API, print for people, return the exit status."""

from __future__ import annotations

import argparse

from singleton import categories as category_registry
from singleton.errors import SingletonError


def categories(args: argparse.Namespace) -> int:
    """`singleton categories`: name, compatibility rule, error space and description of each category."""
    known = category_registry.registry(args.plugin)
    width = max(len(name) for name in known)
    for category in known.values():
        print(f"{category.name:<{width}}  {category.rule:<5}  |E|={category.error_space:<5}  {category.description}")
    return 0


def simulate(args: argparse.Namespace) -> int:
    """`singleton simulate`: draw training sets under Definition 1, train, query, compare err with sr."""
    from singleton import simulate as simulation

    out = args.out if args.out is not None else args.from_dir
    if out is None:
        raise SingletonError("E012", "say where to write: --out DIR (or --from DIR to write beside its report)")
    parametric = {"--sr": args.sr, "--prompts": args.prompts, "--zipf": args.zipf, "--alpha": args.alpha,
                  "--responses": args.responses}
    if args.from_dir is not None:
        given = [name for name, value in parametric.items() if value is not None]
        if given:
            raise SingletonError("E012", f"{given[0]} describes a Zipf profile; --from takes µ, α and |R_c| "
                                 "from the report")
        from singleton.report import load_report

        profiles = simulation.profiles_from_report(load_report(args.from_dir), args.category, args.n)
    elif args.category is not None:
        raise SingletonError("E012", "--category picks a category of a report: use it with --from DIR")
    else:
        profiles = simulation.parametric_profiles(args.n, targets=args.sr, prompts=args.prompts,
                                                  exponent=args.zipf, alpha=args.alpha, responses=args.responses)
    result = simulation.simulate(profiles, trials=args.trials, queries=args.queries, seed=args.seed,
                                 learners=args.learners if args.learners is not None else tuple(simulation.LEARNERS))
    print(simulation.summary_table(result))
    for path in simulation.write_simulation(result, out):
        print(f"wrote {path}")
    return 0
