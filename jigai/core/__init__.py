"""What every app shares and none owns: the domain errors and their one translation (errors.py), the
phone-number check (phone.py), money written in 元 and 万元 (money.py, plain
Python), the Excel toolkit every import and export uses (excel/: specs, bounded reading, formula-safe
writing — the audit trail's export too), server-named uploads (uploads.py) and the daily self-queuing
tasks' schedule (schedule.py). Imports no app of the project: every app may import it."""
