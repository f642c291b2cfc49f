import Events
import Foundation
import Projections

/// `trackctl head` and `trackctl backup`: keeping the chain's head and the store itself outside the store.
enum StoreCommands {
    static let headSpec = CommandSpec(["head"], summary: "Print the log's head (last seq and its hash), to record outside the store.",
        options: [.value("output", "FILE", "Also write it to FILE (plain text an operator can sign or send), for `trackctl verify --against FILE` later."),
                  jsonOption] + connectionOptions)

    static let backupSpec = CommandSpec(["backup"], summary: "Make a consistent copy of the live store in a new directory (the daemon writes it).",
        positionals: [PositionalSpec("DIR", "A new directory (the daemon makes it), or an empty one of the daemon's user; not a link")],
        options: [jsonOption, quietOption] + connectionOptions,
        discussion: """
        Every record through the current head is copied byte for byte while the daemon keeps serving, with the
        configuration and a BACKUP file naming the head. The copy verifies on its own
        (trackctl verify --offline --data-dir DIR) and starts as a store (trackerd --data-dir DIR).
        """)

    static func runHead(_ args: ParsedArguments) throws(Failure) {
        let client = try connect(args)
        let hello: HelloAnswer
        if let greeted = client.hello { hello = greeted } else {
            // A caller the daemon did not greet asks again, to be told why.
            let result = try request(client, .hello)
            do throws(TrackerError) { hello = try HelloAnswer(result: result) } catch { throw Failure(error) }
        }
        let (seq, hash, store) = (Int64(hello.head.seq), hello.head.hash, hello.store)
        if let output = args.value("output") {
            let anchor = ChainAnchor(seq: UInt64(seq), hash: hash)
            do throws(Errno) {
                try FileSystem.writeFileAtomically(output, Array(anchor.fileText(recordedAt: Timestamp.systemNow(), store: store).utf8), mode: 0o644)
            } catch {
                throw Failure.failed("cannot write \(output): \(error)")
            }
        }
        if args.has("json") {
            var members: [(key: String, value: JSONValue)] = [("seq", .int(seq)), ("hash", .string(hash.hex)), ("store", .string(store))]
            if let id = hello.storeID { members.append(("store_id", .string(id))) }
            if let province = hello.province { members.append(("province", .string(province))) }
            printJSON(JSONObject(members))
        } else {
            var text: TerminalText = "head: seq \(seq)\nhash: \(hash.hex)"
            if let id = hello.storeID { text += "\nstore: \(id)" + (hello.province.map { " (province \($0))" } ?? "") }
            Terminal.say(text + (args.value("output").map { "\nwritten to \($0)" } ?? ""))
        }
    }

    static func runBackup(_ args: ParsedArguments) throws(Failure) {
        let path = args.positionals[0]
        let absolute = path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
        let client = try connect(args)
        let progress = Progress(args)
        let result = try progress.whileWaiting("copying the store to \(absolute)") { () throws(Failure) in
            try request(client, .backup) { w in w.key("directory"); w.string(absolute) }
        }
        progress.finish()
        if args.has("json") { printJSON(result); return }
        let answer: BackupAnswer
        do throws(TrackerError) { answer = try BackupAnswer(result: result) } catch { throw Failure(error) }
        Terminal.say("backed up \(answer.bytes) bytes through seq \(answer.head.seq) to \(absolute)\ncheck it with: trackctl verify --offline --data-dir \(absolute)")
    }
}
