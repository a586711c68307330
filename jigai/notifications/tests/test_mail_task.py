"""Notification e-mail is a background task: queued when the change commits, sent by the worker."""

from __future__ import annotations

import pytest
from django.core import mail
from django_tasks_db.models import DBTaskResult

from jigai.accounts.roles import Role
from jigai.accounts.tests.factories import make_user
from jigai.jobs.testing import DATABASE_TASKS, run_worker
from jigai.notifications.services import notify, send_mail_now

pytestmark = pytest.mark.django_db


def test_mail_is_queued_on_commit_and_sent_by_the_worker(settings, django_capture_on_commit_callbacks):
    settings.TASKS = DATABASE_TASKS
    alice = make_user(Role.COUNTY, "410102", email="alice@example.com")
    with django_capture_on_commit_callbacks(execute=True):
        notify(recipients=[alice], kind="project.submitted", title="有新的项目待初审", url="/registry/")
        assert not DBTaskResult.objects.exists()  # nothing queued before the commit
    task = DBTaskResult.objects.get()
    assert task.task_path == "jigai.notifications.tasks.send_notification_mail"
    assert mail.outbox == []  # the request did not send it
    run_worker()
    task.refresh_from_db()
    assert task.status == "SUCCESSFUL" and task.return_value == 1
    assert [m.to for m in mail.outbox] == [["alice@example.com"]]
    assert mail.outbox[0].subject == "【技改通】有新的项目待初审"


def test_a_mail_server_that_is_down_is_logged_not_raised(settings, caplog):
    settings.EMAIL_BACKEND = "jigai.notifications.tests.test_mail_task.BrokenBackend"
    sent = send_mail_now([{"subject": "s", "body": "b", "from_email": "a@b.c", "to": ["x@y.z"]}])
    assert sent == 0 and "failed" in caplog.text


class BrokenBackend:
    def __init__(self, *args, **kwargs):
        pass

    def __enter__(self):
        raise ConnectionRefusedError("mail server down")

    def __exit__(self, *exc):
        return False
