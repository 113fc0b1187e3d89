"""CSR partners: company registration, the company life cycle and staff invitations."""
