import Events
import Foundation
import Testing

/// The command line as people type it: options before the command, help in every usual form,
/// a group word alone, mistyped words, dates in another country's habit.
@Suite("The command line meets habits")
struct CommandLineTests {
    func ctl(_ arguments: String...) throws -> ProcessResult { try runProgram(Binaries.trackctl, arguments) }

    @Test("options go before or after the command alike")
    func optionsAnywhere() throws {
        let daemon = try TrackerProcess(arguments: ["--import", Binaries.sampleData])
        let before = try runProgram(Binaries.trackctl, ["--socket", daemon.socket, "--json", "status", "--as-of", "2023-12-31"])
        let after = try runProgram(Binaries.trackctl, ["status", "--as-of", "2023-12-31", "--json", "--socket", daemon.socket])
        #expect(before.status == 0, "\(before.stderr)")
        #expect(before.stdout == after.stdout)
        let dataDir = try runProgram(Binaries.trackctl, ["--data-dir", daemon.directory, "head"])
        #expect(dataDir.status == 0, "\(dataDir.stderr)")
    }

    @Test("help COMMAND, -h and --help everywhere, and a group word alone lists its commands")
    func help() throws {
        let overview = try ctl("help")
        #expect(overview.status == 0)
        #expect(overview.stdout.contains("disburse"))
        for form in [["help", "status"], ["status", "-h"], ["status", "--help"], ["-h", "status"]] {
            let result = try runProgram(Binaries.trackctl, form)
            #expect(result.status == 0, "\(form)")
            #expect(result.stdout.contains("Usage: trackctl status"), "\(form): \(result.stdout)")
        }
        let group = try ctl("agency")
        #expect(group.status == 0)
        #expect(group.stdout.contains("agency add"))
        let task = try ctl("help", "task")
        #expect(task.stdout.contains("task add") && task.stdout.contains("task status"))
        let daemonHelp = try runProgram(Binaries.trackerd, ["-h"])
        #expect(daemonHelp.status == 0)
        #expect(daemonHelp.stdout.contains("--read-only"))
    }

    @Test("a mistyped command or option is named alone, with the nearest one")
    func mistypes() throws {
        let command = try ctl("stauts", "--as-of", "2023-12-31")
        #expect(command.status == 2)
        #expect(command.stderr.contains("unknown command 'stauts'; did you mean 'status'?"), "\(command.stderr)")
        #expect(!command.stderr.contains("--as-of"))
        let sub = try ctl("agency", "ad", "X")
        #expect(sub.stderr.contains("unknown command 'agency ad'; did you mean 'agency add'?"), "\(sub.stderr)")
        let option = try ctl("disburse", "860/KH-BDT#1", "1tr", "--dat", "2023-12-01", "--ref", "X")
        #expect(option.status == 2)
        #expect(option.stderr.contains("unknown option --dat; did you mean --date?"), "\(option.stderr)")
        let daemon = try runProgram(Binaries.trackerd, ["--imprt", "x"])
        #expect(daemon.status == 2)
        #expect(daemon.stderr.hasPrefix("trackerd: unknown option --imprt; did you mean --import?"), "\(daemon.stderr)")
        #expect(!daemon.stderr.contains("trackerd: trackerd:"))
    }

    @Test("a date in a recognisable other form is answered with the forms tracker reads and the date meant")
    func dates() throws {
        for (typed, meant) in [("2025/10/01", "2025-10-01"), ("01-10-2025", "01/10/2025")] {
            let result = try ctl("status", "--as-of", typed, "--socket", "/nonexistent.sock")
            #expect(result.status == 2)
            #expect(result.stderr.contains("is not a date in a form tracker reads"), "\(result.stderr)")
            #expect(result.stderr.contains(meant), "\(result.stderr)")
        }
    }
}
