"""The ``callbox`` command: ``main`` dispatches to one module per subcommand (``lint``, ``call``,
``serve``), each with ``HELP``, ``add_arguments(parser)`` and ``run(args) -> int``."""
