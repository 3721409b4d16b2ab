"""The rule passes, one module per construction; :mod:`ingest.relations.rules` runs them in order.

- :mod:`.triggers`: a lexicon trigger and two arguments in its slots (``rule`` "trigger:<lemma>").
- :mod:`.groups`: "the two companies" in a pair slot ("group").
- :mod:`.rounds`: investors of a funding round ("round").
- :mod:`.possessive`: "OpenAI's GPT-4" ("possessive").
- :mod:`.roles`: titles, roles named without an organization, successions ("title",
  "implicit_role", "succession").
- :mod:`.anaphora`: "the partnership" of a pair named before ("anaphoric").
- :mod:`.lists`: one member's relation for every member of "A, B and C" ("list").
"""
