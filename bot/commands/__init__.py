"""One module per `canbo` command; each exposes ``register(subparsers)``.

A command's ``run(args, settings) -> int`` returns the exit code: 0 on success, 1 when the
input was refused (with a message on stderr), 2 for usage errors (argparse's own).
"""
