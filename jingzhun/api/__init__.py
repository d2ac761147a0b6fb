"""REST API for campus systems (教务, 学工, 一卡通, 资助): token-authenticated reads and bulk upserts.

It is the top layer of the workflow: it may import any app, and no app imports it. Writes go
through the same validation and upsert as spreadsheet imports, so a record accepted here is
exactly a record an import would accept.
"""
