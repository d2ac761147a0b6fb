"""Who may open the dashboards (read by the views, the navigation and the workbench)."""

from __future__ import annotations

from jingzhun.org.roles import Role

# The institution (leadership, employment office) or their school (school officer), with
# drill-down to the case list.
OVERVIEW_ROLES = frozenset({Role.LEADERSHIP, Role.EMPLOYMENT_OFFICE, Role.SCHOOL_OFFICER})
# Across institutions, suppressed aggregates only, no drill-down.
PROVINCIAL_ROLES = frozenset({Role.PROVINCIAL_SUPERVISOR})
