"""A hub's history loaded in bulk: a file of documents with their recipients and statuses,
written as the live exchange would have left them (`eoffice db import-history`)."""
