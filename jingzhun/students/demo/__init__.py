"""A seeded, reproducible demo college for demonstrations, manual testing and benchmarks.

The generated college is fictional but shaped like a real Henan vocational college: real MOE
major codes, real county codes, valid ID numbers, and records at realistic rates whose
graduate outcomes depend on the other records, so the identification stage has something
real to learn. Entry points: `generator.seed_demo_college` and the `seed_demo` command;
`accounts.demo_accounts` lists the logins.
"""
