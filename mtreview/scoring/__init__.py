"""Reference-based scoring: segment alignment and MT metrics against reference translations."""
