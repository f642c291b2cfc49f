// Every file of the Projections tests sees the shared helpers (TestSupport: the seeded generator,
// temporary directories, waiting for a condition).
@_exported import TestSupport
