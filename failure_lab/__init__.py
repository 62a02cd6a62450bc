"""failure-lab: model-check job-queue failure modes with TLC and prove a Python runtime agrees.

The installed package is one name with the design's folders as its parts (each a link to the
top-level folder of the same name in the repository): ``cli`` (the command), ``trace_check`` (TLA+
tooling), ``python_impl`` (the job queue) and ``workbook`` (the book). Importing this package
imports none of them.
"""
