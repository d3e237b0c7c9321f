"""eoffice-sim: the document-exchange hub (liên thông văn bản điện tử)."""
