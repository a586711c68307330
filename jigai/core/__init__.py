"""What every app shares and none owns: the domain errors and their one translation (errors.py), the
phone-number check (phone.py). Imports no app of the project: every app may import it."""
