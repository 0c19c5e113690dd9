"""Regulation B retention of credit applications, as a nightly job of the worker.

12 CFR 1002.12(b)(1) keeps an application 25 months after the applicant is notified of the
action taken; the Safeguards Rule (16 CFR 314.4(c)(6)) then asks for its disposal. The
customers app's own retention never shortens this: the application keeps its applicants'
data until its own date, whatever happens to the customer record.
"""

from __future__ import annotations

from django.tasks import task

from forecourt.finance.credit.actions import dispose_expired_applications

# After the customers' disposal (03:15), before idle-user deactivation (03:30).
RETENTION_SCHEDULE = "03:20"


@task(queue_name="maintenance")
def dispose_expired_credit_applications() -> int:
    return dispose_expired_applications()
