"""Batch work (分批分类): one operation over a filtered set of students, as a long job."""
