"""Behaviour writes: snapshots (start → task → build) and event batches into the lake.

Callers use `from jingzhun.behaviour import services` or the names below."""

from jingzhun.behaviour.services.builds import behaviour_build_execute
from jingzhun.behaviour.services.event_batches import event_batch_import, event_batch_name
from jingzhun.behaviour.services.snapshots import behaviour_snapshot_build
from jingzhun.behaviour.services.starts import behaviour_build_retry, behaviour_snapshot_start

__all__ = [
    "behaviour_build_execute",
    "behaviour_build_retry",
    "behaviour_snapshot_build",
    "behaviour_snapshot_start",
    "event_batch_import",
    "event_batch_name",
]
