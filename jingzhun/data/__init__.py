"""Django-free data platform: feature pipeline, model training and synthetic data.

Nothing in this package may import Django or the Django apps; it works on plain values,
tables and files so that it runs the same embedded, in a worker or on Spark.
"""
