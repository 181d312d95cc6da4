"""The load test: its refusal of a real database, and the helpers that read worker memory
from /proc (the run itself needs locust and gunicorn: `make loadtest`)."""

import os

import pytest

from clinic.management.commands.loadtest import children, memory_kb, parent_pid

STATUS = """Name:\tgunicorn
Umask:\t0022
State:\tS (sleeping)
Pid:\t4242
PPid:\t4241
VmPeak:\t  312000 kB
VmHWM:\t   98304 kB
VmRSS:\t   81920 kB
RssAnon:\t   40000 kB
"""


def test_it_reads_the_resident_and_peak_memory_in_kb():
    assert memory_kb(STATUS) == {"VmRSS": 81920, "VmHWM": 98304}


def test_it_reads_nothing_from_a_process_without_memory():
    # A zombie or kernel thread has no Vm lines.
    assert memory_kb("Name:\tkthreadd\nState:\tS (sleeping)\nPPid:\t0\n") == {}


def test_it_reads_the_parent_after_a_name_with_spaces_and_parentheses():
    assert parent_pid("4242 (gunicorn: worker (clinic)) S 4241 4241 1 0 -1") == 4241


def test_it_finds_this_process_among_its_parents_children():
    assert os.getpid() in children(os.getppid())


@pytest.mark.django_db
def test_the_load_test_refuses_a_database_the_demo_seed_did_not_make(patient, monkeypatch):
    import importlib.util

    from django.core.management import CommandError, call_command

    monkeypatch.setattr(importlib.util, "find_spec", lambda name: object())  # as if installed
    with pytest.raises(CommandError, match="only on a database made by seed_demo"):
        call_command("loadtest", users=1, seconds=1, workers=1, pool=1)
