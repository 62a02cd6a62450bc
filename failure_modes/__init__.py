"""The failure-mode bundles: each folder is one failure mode, found from its ``failure_mode.toml``.

A bundle's ``mapping.py`` is where a spec meets the runtime; it is the only code
that imports both ``trace_check`` and ``python_impl``.
"""
