"""Reports: the monthly evaluation of a kecamatan or the regency, and a company's CSR
impact report (issue 12). ``queries`` and ``impact_data`` compute the figures in SQL,
``impact`` renders the PDF, ``exporting`` writes the spreadsheets."""
