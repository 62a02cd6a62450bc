"""The failure-mode bundles: each folder is one failure mode, found from its ``failure_mode.toml``.

A manifest names its mapping (``mapping = "a09"``: ``mappings/a09.py``), where a spec meets the
runtime; the mappings are the only code that imports both ``trace_check`` and ``python_impl``. This
folder is read from the lab's root, never installed as a package.
"""
