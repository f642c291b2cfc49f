import Events
import Glibc
import Projections

/// One trackctl command: its spec and what it does.
struct Subcommand {
    let spec: CommandSpec
    let run: (ParsedArguments) throws(Failure) -> Void
}
