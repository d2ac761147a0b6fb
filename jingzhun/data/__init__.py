"""Django-free data platform: feature pipeline, model training and synthetic data.

Nothing in this package may import Django or the Django apps; it works on plain values,
tables and files so that it runs the same embedded, in a worker or on Spark.

- `events`: the Parquet event lake (source=…/month=…), importers and the reader;
- `features`: per-student, per-term features as pure Ibis table functions;
- `backends`: `connect("duckdb" | "spark")`, the one switch between engines;
- `periods`: terms as a typed calendar;
- `synthetic`, `synthetic_sources`: seeded, streamed synthetic events for tests and benchmarks;
- `hardship`, `hardship_evaluation`, `datacastle`: the hidden-hardship signal and its evaluation.

See docs/data-platform.md.
"""
