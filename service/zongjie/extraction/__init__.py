"""Reading a past summary back into facts: which figures are claims (``figures``) and the work as notes (``notes``)."""
