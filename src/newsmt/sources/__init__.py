"""Turning inputs into documents: files, stdin, JSONL, web pages, feeds and web archives."""
