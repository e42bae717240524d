"""Test goals out of the real analytics: tagged when sent, deleted exactly afterwards.

The rooms (import each from its module: this package imports nothing, so the form can
ask `identity` on every send without loading the planner, the history or the network):
- `identity`: the profile's test visitor/session ID put into goals with empty IDs;
- `personal`: metadata keys that look like a person's data (a warning before Production);
- `model`: margins, risks, planned calls and the plan (pure values);
- `planner`: `plan_cleanup`, the fewest DELETE calls covering exactly the chosen sends;
- `select`: `plan_from_history`, the chosen sends read from history and planned;
- `words`: each call and its risk in plain words (the dialog and the CLI);
- `runner`: `CleanupRun`, the calls sent one by one through the send pipeline, each
  recorded in history, the sends it cleaned marked "deleted from analytics";
- `since`, `terminal`, `commands`: `flowsery-goal cleanup` and `profile set`.

One cleanup, as the window and the CLI both do it:

    selection = plan_from_history(history, profile, ids=[...])   # or since=..., name=...
    for call in selection.plan.calls: describe(call), risk_words(call), plan_call(...).request
    run = CleanupRun(calls, target=..., key=..., history=history, source="window",
                     confirmed_profile=profile.name, acknowledged=ticked)
    result = run.run(on_outcome)        # on a worker thread; run.cancel() from another
"""
