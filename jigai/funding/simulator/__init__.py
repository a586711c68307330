"""The guideline what-if simulator (issue 13): replay a draft guideline — its items, parameter overrides
within the policy's bounds, budgets by item group — over a population (last year's submitted applications
with their frozen facts, and/or every registry object whose facts are complete), against the policy as it
stands, with the batch engine.

- population.py — the cases, from the frozen snapshots or built from the registry (verified facts only)
- replay.py — pure: the two evaluations compared per item group and city, what each budget buys under
  each allocation rule, the cases whose status changes
- services.py — scenarios saved, runs as background jobs with progress, one case explained, publish
"""
