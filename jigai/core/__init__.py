"""What every app shares and none owns: the domain errors and their one translation (errors.py), the
phone-number check (phone.py), money written in 元 and 万元 (money.py, plain
Python). Imports no app of the project: every app may import it."""
