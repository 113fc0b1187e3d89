"""CSR contributions: proposals, review by the kecamatan, routing by Dinsos."""
