"""Registry intake: spreadsheets and API payloads → validated rows → one upsert.

Pure parts (parsers, kinds, headers) know nothing of the database; `validate` resolves
students and classes in bulk; `apply` writes all valid rows in one transaction.
"""
