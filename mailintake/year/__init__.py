"""The office's year: the deadline digest, the annual report, retention and erasure with their anonymous remainder."""
