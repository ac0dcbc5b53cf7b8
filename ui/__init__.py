"""Shared Streamlit code for dashboard.py and pages/: data access, filters, charts, exports.

It lives outside `pages/` (every file there becomes a page) and outside `analysis/` (which never
imports streamlit).
"""
