import Events
import Foundation
import Glibc
import Projections
import Testing

/// trackctl speaks one protocol (`Wire.protocolVersion`) and refuses a daemon that speaks another
/// before it sends anything but `hello`. The daemon of another protocol is played by socat on a
/// socket of its own: it answers `hello` as told and keeps whatever else it is sent.
@Suite("Protocol versions: trackctl and a daemon of another protocol", .serialized)
struct ProtocolVersionTests {
    /// Runs `trackctl ARGUMENTS --socket S` against a peer that answers the first line with
    /// `hello`; returns trackctl's result, the request the peer got first, and every byte after it.
    func againstPeer(answering hello: String, _ arguments: [String]) throws -> (result: ProcessResult, first: String, after: String) {
        let scratch = try TemporaryDirectory(prefix: "proto")
        let socket = scratch.path + "/peer.sock", received = scratch.path + "/received"
        let script = scratch.path + "/peer.sh"
        try """
            #!/bin/sh
            IFS= read -r request
            printf '%s\\n' "$request" > "$RECEIVED.first"
            printf '%s\\n' "$ANSWER"
            cat > "$RECEIVED"

            """.write(toFile: script, atomically: true, encoding: .utf8)
        chmod(script, 0o755)
        let peer = Process()
        peer.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        peer.arguments = ["socat", "UNIX-LISTEN:\(socket)", "EXEC:\(script)"]
        var environment = ProcessInfo.processInfo.environment
        environment["ANSWER"] = hello
        environment["RECEIVED"] = received
        peer.environment = environment
        peer.standardInput = FileHandle.nullDevice
        try peer.run()
        defer {
            if peer.isRunning { kill(peer.processIdentifier, SIGKILL) }
            peer.waitUntilExit()
        }
        let listening = Date().addingTimeInterval(30)
        while !FileManager.default.fileExists(atPath: socket) && Date() < listening { usleep(2_000) }
        let result = try runProgram(Binaries.trackctl, arguments + ["--socket", socket], timeout: 60)
        // The peer ends when trackctl hangs up (its `cat` sees the end of what was sent).
        let ended = Date().addingTimeInterval(30)
        while peer.isRunning && Date() < ended { usleep(2_000) }
        #expect(!peer.isRunning, "the peer did not see trackctl hang up")
        return (result, (try? String(contentsOfFile: received + ".first", encoding: .utf8)) ?? "",
                (try? String(contentsOfFile: received, encoding: .utf8)) ?? "")
    }

    static func hello(protocol version: String) -> String {
        #"{"id":1,"ok":true,"result":{"server":"trackerd","#
            + version + #""store":"/tmp/x","head":{"seq":3,"hash":"\#(String(repeating: "0", count: 64))"},"today":"2023-12-01","simulated":false}}"#
    }

    @Test("a daemon of protocol 1 (log and status not paged) is refused before a disbursement is sent, naming both versions")
    func olderDaemonRefused() throws {
        let (result, first, after) = try againstPeer(answering: Self.hello(protocol: #""protocol":1,"#),
                                                    ["disburse", "860/KH-BDT#1", "1tr", "--date", "2023-12-01", "--ref", "P-1"])
        #expect(result.status == 1, "\(result.stdout) \(result.stderr)")
        #expect(result.stderr.contains("speaks protocol 1, and this trackctl"), "\(result.stderr)")
        #expect(result.stderr.contains("speaks protocol \(Wire.protocolVersion)"), "\(result.stderr)")
        #expect(result.stderr.contains("nothing was sent"))
        #expect(first.contains(#""op":"hello""#), "\(first)")
        #expect(after.isEmpty, "trackctl sent more than hello: \(after)")
    }

    @Test("a daemon whose hello names no protocol, or a newer one, is refused the same way")
    func unnamedOrNewerRefused() throws {
        for version in ["", #""protocol":\#(Wire.protocolVersion + 1),"#] {
            let (result, _, after) = try againstPeer(answering: Self.hello(protocol: version), ["status"])
            #expect(result.status == 1)
            #expect(result.stderr.contains(version.isEmpty ? "speaks protocol (none named)" : "speaks protocol \(Wire.protocolVersion + 1),"), "\(result.stderr)")
            #expect(after.isEmpty, "trackctl sent more than hello: \(after)")
        }
    }

    @Test("the real daemon says the protocol trackctl speaks, and trackctl talks to it")
    func sameProtocol() throws {
        let daemon = try TrackerProcess()
        let client = try #require(LineClient(socket: daemon.socket))
        #expect(client.call(#"{"id":1,"op":"hello"}"#)?["result", "protocol"] == .int(Int64(Wire.protocolVersion)))
        #expect(try daemon.ctl("head").status == 0)
    }
}
