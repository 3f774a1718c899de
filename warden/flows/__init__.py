"""Cross-domain flows: what happens to a case when one of its inputs changes.

Plain functions that domain services, views and commands call explicitly (no signals): a list import
re-screens open cases (rescreening), and every change to an input of the assessment re-assesses the case
as a new version (reassessment). The flows import domain services inside their functions and the domains
import the flows inside theirs, so neither package's import depends on the other's.
"""
