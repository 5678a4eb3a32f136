// HelplineClient: see the issue that builds it.
