"""Business operations: one function per operation, used by views, CLI, jobs and API alike."""
