"""Each user's in-app notifications and the unread count in the header."""
