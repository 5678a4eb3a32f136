// HelplineBrokerCore: see the issue that builds it.
