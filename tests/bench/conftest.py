"""The benchmarks are programs (run.py), not tests: pytest collects nothing here."""

collect_ignore_glob = ["*.py"]
