"""Cross-domain flows: every orchestration that crosses apps, one module each, readable top to bottom.

submission (validate -> store -> submit -> screen -> assess), case_decision (gate and engine -> finalise,
countersign, issue the licence), law_change (revision -> impact run -> re-assess -> review queue),
amendment (answer or document -> re-screen -> re-assess), decisions (a match decision -> re-assess -> apply
elsewhere), rescreening (list import -> record the owed re-screen -> re-screen -> re-assess), reassessment
(an input changed -> a new assessment version), catch_all (a referral requiring a licence -> link the
application, carrying its end-use flags). The flows sit above the domains (docs/architecture.md):
they import the domain services, and the views, API, CLI and tasks call them. No signal, no ready() wiring,
and no domain module calls a flow: what a domain needs from above is passed in as an argument.
"""
