"""Graduate destinations (毕业去向): registration with evidence, two-step verification, the
data-quality checks and the placement rate. The registry row (`students.GraduateDestination`)
is written through the students service when the employment office verifies (ADR 0001)."""
