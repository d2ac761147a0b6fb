"""Policies and procedures the employment office publishes for students (政策与办事流程).

Half of the students in the survey behind this product did not know the policies and seven
in ten did not know the procedure: publishing them — with the responsible office, the
documents and the deadline — is part of managing assistance, so it lives in tracking; the
portal only renders what these selectors return.
"""
