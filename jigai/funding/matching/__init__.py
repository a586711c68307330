"""免申即享 / proactive matching (issue 13): the policy finds the enterprise.

- services.py — evaluate an enterprise's objects against the open guideline (verified facts only), keep
  the matches, notify; start an application from a match; the 免申即享 award the system prepares and the
  two confirmations (enterprise: willingness and bank account; county) before it joins the round
- tasks.py — the nightly run (a task that queues itself for the next night) and the run on a change of an
  enterprise's data (registry models' post_save, connected in funding's AppConfig.ready)
"""
