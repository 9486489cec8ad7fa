"""Translation: one engine (news-aware wrapping) over swappable backends."""
