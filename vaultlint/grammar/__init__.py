"""Grammar: the Grammalecte service and what it should read in a note."""
