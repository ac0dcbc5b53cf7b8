"""Stance pipeline: articles in, attributed and stance-scored quotations out.

Stages (one module each): ingest -> quotes -> speakers -> actors -> stance -> store.
Nothing here imports streamlit; the whole pipeline runs and is tested without a browser.
"""
