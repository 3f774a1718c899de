"""The case screens' helpers (queue, case page, application form, case actions): the cases domain owns its
screens (issue 11); warden.cases.views renders them and warden.web keeps only the shell."""
