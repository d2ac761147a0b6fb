"""Students' satisfaction with the help they got (a 1–5 rating of each completed action)
and their general feedback. Assessment reads `selectors.satisfaction_by_action` and
`satisfaction_by_department`; assistance cannot import tracking, so the aggregates are shown
on tracking's own pages (满意度)."""
