// Every file of the system tests sees the shared helpers (TestSupport: the one launcher of the real
// daemon, the program runner, the socket client, waiting for a condition, temporary directories,
// the seeded generator).
@_exported import TestSupport
