"""Runs of the periodic jobs (jobs.schedule): one row a job and slot, so that two
`run_jobs` started at the same moment (two cron entries, two servers) cannot both run a
job for the same slot: the database's unique constraint lets one insert win."""

from django.db import models


class JobRun(models.Model):
    job = models.CharField(max_length=50)
    slot = models.DateTimeField(help_text="The start of the period this run covers.")
    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-slot", "job"]
        constraints = [
            models.UniqueConstraint(fields=["job", "slot"], name="jobrun_once_a_slot"),
        ]

    def __str__(self):
        return f"{self.job} for {self.slot:%Y-%m-%d %H:%M}"
