import Foundation
import Testing
@testable import Events

/// The arguments as the kernel keeps them, for when the runtime lost them (a raw LD_PRELOAD shim).
@Suite struct ProcessArgumentsTests {
    @Test("the program's arguments read from /proc/self/cmdline are the runtime's, name first")
    func argumentsFromProc() throws {
        let recorded = try #require(ProcessArguments.fromProcFile())
        #expect(recorded == CommandLine.arguments)
        #expect(ProcessArguments.current() == Array(CommandLine.arguments.dropFirst()))
    }
}
