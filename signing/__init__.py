"""PKI and signatures for G2G documents. Knows nothing of the hub (filled by its own issue)."""
