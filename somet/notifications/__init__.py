"""Each user's notifications in the app, and the unread count in the navigation."""
