"""Background jobs (后台任务): one `Job` row per background task, owned by the user who started it.

The work itself runs on django-tasks (the backport of Django 6's django.tasks) with its database backend
(django-tasks-db): `job_start` stores the input in Django storage, creates the Job and enqueues
`jigai.jobs.tasks.run_job` when the transaction commits; a worker (`manage.py db_worker`, started by
`make run`) runs the job's handler — a dotted path to `handler(job, progress) -> JobOutcome` — reporting
progress as it goes, stores the result file, and sends the owner an in-app message when it ends.

Holds: models (Job), services (job_start, job_run, JobOutcome, JobFailed), selectors (owner-only reads),
tasks (the one django-tasks task), views/urls (/jobs/, /jobs/<id>/, /jobs/<id>/download/), calculator
(the policy calculator's batch job, /jobs/calculator/) and testing (the in-process worker for tests).

May import: accounts, core, notifications, policy (the bottom layer, for the calculator batch). Apps above
(registry, funding) give their handlers and import this app; this app never imports them.
"""
