"""The data platform's Django side: the event lake, the ingest commands, behaviour snapshots
and the hidden-hardship candidates that identification pulls."""
