import Events
import Foundation
import Glibc
import Testing

/// scripts/install into a temporary prefix: the installed programs, manual pages and
/// completions work from there, and scripts/uninstall takes them away again.
@Suite("Installing: programs, manual pages, completions, units", .serialized)
struct InstallTests {
    @Test("scripts/install --prefix puts everything in place: trackctl --help, man without warnings, bash completion of dis to disburse; uninstall removes it")
    func installIntoPrefix() throws {
        let man = try #require(Binaries.tool("/usr/bin/man"), "man (Debian's man-db) is needed")
        let bash = try #require(Binaries.tool("/usr/bin/bash", "/bin/bash"))
        let place = try TemporaryDirectory(prefix: "inst")
        let prefix = place.appending("usr")
        let installed = try runProgram(Binaries.root + "/scripts/install", ["--prefix", prefix, "--from", Binaries.directory], timeout: 300)
        #expect(installed.status == 0, "\(installed.stderr)")

        let help = try runProgram(prefix + "/bin/trackctl", ["--help"])
        #expect(help.status == 0)
        #expect(help.stdout.contains("Usage: trackctl COMMAND"))
        #expect(try runProgram(prefix + "/sbin/trackerd", ["--version"]).stdout.hasPrefix("trackerd "))

        for page in ["man1/trackctl.1", "man8/trackerd.8", "man5/trackerd.conf.5"] {
            let rendered = try runProgram(man, ["--warnings", "-l", prefix + "/share/man/" + page], environment: ["MANWIDTH": "80"])
            #expect(rendered.status == 0, "\(page): \(rendered.stderr)")
            #expect(rendered.stderr.isEmpty, "\(page) renders with warnings: \(rendered.stderr)")
            #expect(rendered.stdout.contains("NAME"))
        }
        // By name, from the installed manual path; the page lists every command of this build.
        let byName = try runProgram(man, ["trackctl"], environment: ["MANPATH": prefix + "/share/man", "MANWIDTH": "80", "MANPAGER": "cat", "PAGER": "cat"])
        #expect(byName.status == 0, "\(byName.stderr)")
        for command in ["disburse", "task status", "verify", "completion"] { #expect(byName.stdout.contains(command), "\(command)") }
        let configuration = try runProgram(man, ["-l", prefix + "/share/man/man5/trackerd.conf.5"], environment: ["MANWIDTH": "80"])
        #expect(configuration.stdout.contains("max_line_bytes"))

        // The installed bash completion, loaded as bash-completion loads it, completes `trackctl dis`.
        let script = """
        [ -f /usr/share/bash-completion/bash_completion ] && source /usr/share/bash-completion/bash_completion
        source "\(prefix)/share/bash-completion/completions/trackctl"
        COMP_WORDS=(trackctl dis); COMP_CWORD=1; COMP_LINE="trackctl dis"; COMP_POINT=${#COMP_LINE}
        _trackctl
        echo "${COMPREPLY[*]}"
        COMP_WORDS=(trackctl task st); COMP_CWORD=2; _trackctl; echo "${COMPREPLY[*]}"
        COMP_WORDS=(trackctl disburse 860/KH-BDT#1 --da); COMP_CWORD=3; _trackctl; echo "${COMPREPLY[*]}"
        """
        let completed = try runProgram(bash, ["-c", script])
        let lines = completed.stdout.split(separator: "\n").map(String.init)
        #expect(lines.first == "disburse", "\(completed.stdout)\(completed.stderr)")
        #expect(lines.dropFirst().first == "status")
        #expect(lines.last?.split(separator: " ").contains("--date") == true)
        if let zsh = Binaries.tool("/usr/bin/zsh", "/bin/zsh") {
            for file in ["_trackctl", "_trackerd"] {
                let parsed = try runProgram(zsh, ["-n", prefix + "/share/zsh/site-functions/" + file])
                #expect(parsed.status == 0, "\(file): \(parsed.stderr)")
            }
        }
        // The units name the installed programs.
        let service = try String(contentsOfFile: prefix + "/lib/systemd/system/trackerd.service", encoding: .utf8)
        #expect(service.contains("ExecStart=\(prefix)/sbin/trackerd "))
        #expect(service.contains("--config \(prefix)/etc/tracker/trackerd.conf"))

        let removed = try runProgram(Binaries.root + "/scripts/uninstall", ["--prefix", prefix])
        #expect(removed.status == 0, "\(removed.stderr)")
        let left = FileManager.default.enumerator(atPath: prefix)?.allObjects ?? []
        #expect(left.isEmpty, "left behind: \(left)")
    }
}
