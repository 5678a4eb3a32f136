// HelplineBroker: see the issue that builds it.
