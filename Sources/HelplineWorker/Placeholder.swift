// HelplineWorker: see the issue that builds it.
