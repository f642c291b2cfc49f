import Events
import Foundation
import Projections

/// `trackctl verify`: re-checks the whole hash chain and prints the head hash.
enum VerifyCommand {
    static let spec = CommandSpec(["verify"], summary: "Re-check the whole hash chain of the log and print its head hash.",
        options: [.flag("offline", "Read the store's files directly instead of asking the daemon (for a stopped store or a backup; uses --data-dir)."),
                  .value("against", "HASH_OR_FILE", "Also prove the log still extends a head recorded earlier: 64 hex characters, SEQ:HASH, or a file written by `trackctl head --output`."),
                  jsonOption, quietOption] + connectionOptions,
        discussion: """
        Every record's hash is recomputed over its bytes and checked against the next record's prev. The first bad record is
        named by its sequence number; the exit status is 1 when verification fails. A log rewritten from some record on with
        fresh hashes verifies on its own: only a head recorded outside the store (--against) catches that, and a cut tail.
        """)

    static func run(_ args: ParsedArguments) throws(Failure) {
        var anchor: ChainAnchor? = nil
        if let against = args.value("against") {
            var text = against
            if FileSystem.exists(against) {
                do throws(Errno) { text = String(decoding: try FileSystem.readFile(against), as: UTF8.self) } catch {
                    throw Failure.failed("cannot read \(against): \(error)")
                }
            }
            do throws(TrackerError) { anchor = try ChainAnchor.parse(text) } catch { throw Failure.usage("verify --against: \(error.message)") }
        }
        let result: JSONObject
        let progress = Progress(args)
        defer { progress.finish() }
        if args.has("offline") {
            let directory = DefaultPaths.dataDirectory(explicit: args.value("data-dir"))
            guard FileSystem.isDirectory(directory + "/log") else { throw Failure.failed("\(directory) is not a tracker store (it has no log/ directory)") }
            if !args.has("json") { Terminal.complain("verifying the store at \(directory) directly from its files") }
            let started = Date()
            let report = progress.whileWaiting("verifying the chain of \(directory)") { LogVerifier.verify(directory: directory, against: anchor) }
            var w = JSONWriter()
            w.beginObject()
            report.encode(seconds: Date().timeIntervalSince(started), to: &w)
            w.endObject()
            guard case .object(let object)? = try? JSONParser().parse(w.bytes) else { throw Failure.failed("internal error encoding the report") }
            result = object
        } else {
            let client = try connect(args)
            result = try progress.whileWaiting("verifying the chain") { () throws(Failure) in try request(client, .verify) { w in
                guard let anchor else { return }
                w.key("against")
                w.beginObject()
                if let seq = anchor.seq { w.key("seq"); w.int(Int64(seq)) }
                w.key("hash"); w.string(anchor.hash.hex)
                w.endObject()
            } }
        }
        progress.finish()
        if args.has("json") {
            printJSON(result)
        } else {
            Terminal.say(render(result), terminator: "")
        }
        if case .bool(false)? = result["verified"] { throw Failure.failed("verification failed") }
    }

    static func render(_ result: JSONObject) -> TerminalText {
        let records = (try? result.int("records")) ?? 0
        let bytes = (try? result.int("bytes")) ?? 0
        let seconds: String? = result["seconds"].map { value in
            switch value {
            case .number(let text): text
            case .int(let n): String(n)
            default: "?"
            }
        }
        let head = try? result.object("head")
        let headSeq = (try? head?.int("seq")) ?? 0
        let headHash = ((try? head?.string("hash")) ?? nil) ?? ""
        if let problem = try? result.object("problem") {
            let seq = (try? problem.int("seq")) ?? 0
            let message = (try? problem.string("message")) ?? ""
            return "FAILED at record \(seq): \(message)\nThe chain is good through seq \(headSeq) (\(records) records checked).\n"
        }
        var text: TerminalText = "verified \(records) records (\(bytes) bytes) in \(seconds ?? "?") s: the chain is whole.\n"
        if case .bool(true)? = result["anchor_found"] { text += "It still extends the recorded head.\n" }
        return text + "head: seq \(headSeq)\nhash: \(headHash)\n"
    }
}
