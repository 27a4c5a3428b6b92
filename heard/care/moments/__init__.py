"""Proactive moments: a greeting, and maybe a small gift, on a day that matters to a customer.

A moment (`heard.care.models.Moment`) is a rule: an occasion (a birthday, the N-th anniversary
of becoming a customer, or a day the team sets), an audience, a gift, a greeting and a budget.
Each module here does one job:

- `occasions`: whose occasion falls on which day, in the customer's own time zone (29 February
  is kept on 28 February in other years), and when the greeting goes (the morning of the day).
- `holds`: who must not be greeted now: their latest mood is negative, or a ticket of theirs is
  open and unhappy. Their greeting waits (held, with the reason) and is looked at again on every
  run; the agent sees it on the ticket ("Birthday on Friday: greeting held while this is open").
- `plan`: the daily job. For each active moment, the customers whose occasion falls within its
  look-ahead, who agreed to greetings and gifts (consent "birthday", given and not withdrawn)
  and are active (a ticket within the moment's months, with its team if it has one), get one
  greeting each for that occasion (a unique constraint: never twice), held or awaiting approval.
- `budget`: what a moment has committed in a month (approved, sent, and failed gifts) and what
  one more greeting would do to it and to the customer's count for the year; checked under a
  lock on the moment's row (SQLite's write lock), so two schedulers or two leads at once never
  exceed it.
- `approve`: a lead of the moment's team (or an administrator) approves a batch, or the rule
  approves it by itself when it has at most `auto_approve_under` greetings and all fit.
- `gifts`: the providers: a voucher list in the box (a code assigned atomically, never twice) and
  a signed webhook for a real billing system (HMAC-SHA256 over "timestamp.body", an idempotency
  key, a timeout); failures retried with backoff, then failed and told to the lead.
- `send`: the sending job. The gift is delivered first and the greeting sent after, saying what
  it is; so the greeting is always true: a code is named only once it is assigned, a credit or
  minutes only once the voucher that claims them was assigned or the billing system confirmed
  them. A gift that cannot be delivered sends no greeting at all (the lead is told).
- `audit`: every change of a greeting or its gift is a `GreetingEvent` row and a log line.
- `wording`: the rule's greeting is coached like an agent's draft; words that would hurt are
  refused when the rule is saved.
"""
