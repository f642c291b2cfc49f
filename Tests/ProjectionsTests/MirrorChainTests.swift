import Events
import Foundation
import Projections
import Testing

/// The national mirror's checks of each store's chain, record by record (pure: no stream).
@Suite("Mirror chain: each store checked on its own, a bad record stops only its store")
struct MirrorChainTests {
    /// A store's records: agencies registered one after the other, each line as stored.
    func records(_ count: Int) -> [[UInt8]] {
        var lines: [[UInt8]] = []
        var prev = SHA256Digest.zero
        for seq in 1...count {
            var line: [UInt8] = []
            let event = Event.agencyRegistered(AgencyRegistered(id: AgencyID(trusted: "A\(seq)"), name: "Agency \(seq)", note: nil))
            prev = RecordCodec.encode(seq: UInt64(seq), time: Timestamp(microseconds: 1_700_000_000_000_000), actor: Actor(uid: 0, name: "root"),
                                      event: event, prev: prev, into: &line)
            lines.append(Array(line.dropLast()))
        }
        return lines
    }

    func envelope(_ store: String, _ seq: Int, _ record: [UInt8]) -> LogEnvelope {
        LogEnvelope(store: store, seq: UInt64(seq), record: record)
    }

    @Test("records in order are applied with ids namespaced by province; a redelivered record is passed over")
    func appliesInOrder() {
        var chain = MirrorChain()
        let lines = records(3)
        for (index, line) in lines.enumerated() {
            guard case .apply(let record) = chain.receive(subject: "tracker.QNG.s1", envelope: envelope("s1", index + 1, line)),
                  case .agencyRegistered(let agency) = record.event else {
                Issue.record("record \(index + 1) was not applied")
                return
            }
            #expect(agency.id.text == "QNG:A\(index + 1)")
        }
        #expect(chain.receive(subject: "tracker.QNG.s1", envelope: envelope("s1", 2, lines[1])) == .passOver)
        #expect(chain.stores["s1"]?.seq == 3 && chain.stores["s1"]?.stopped == nil)
    }

    @Test("a gap, a changed record, a fork and a newer event version each stop their store, naming store and seq, and the other store goes on")
    func stopsOneStore() {
        let lines = records(4)
        var chain = MirrorChain()
        _ = chain.receive(subject: "tracker.QNG.s1", envelope: envelope("s1", 1, lines[0]))
        _ = chain.receive(subject: "tracker.KTM.s2", envelope: envelope("s2", 1, lines[0]))
        // A gap: record 3 after record 1.
        guard case .stop(let gap) = chain.receive(subject: "tracker.QNG.s1", envelope: envelope("s1", 3, lines[2])) else {
            Issue.record("a gap was not stopped")
            return
        }
        #expect(gap.contains("store s1") && gap.contains("seq 3") && gap.contains("missing"))
        #expect(chain.receive(subject: "tracker.QNG.s1", envelope: envelope("s1", 2, lines[1])) == .passOver)
        // The other store goes on.
        if case .apply = chain.receive(subject: "tracker.KTM.s2", envelope: envelope("s2", 2, lines[1])) {} else { Issue.record("s2 stopped too") }
        // A changed record: one byte of its body.
        var changed = lines[2]
        changed[changed.firstIndex(of: UInt8(ascii: "3"))!] = UInt8(ascii: "9")
        var second = MirrorChain()
        for (i, line) in lines.prefix(2).enumerated() { _ = second.receive(subject: "tracker.KTM.s2", envelope: envelope("s2", i + 1, line)) }
        guard case .stop(let altered) = second.receive(subject: "tracker.KTM.s2", envelope: envelope("s2", 3, changed)) else {
            Issue.record("a changed record was not stopped")
            return
        }
        #expect(altered.contains("store s2") && altered.contains("seq 3"))
        // A fork: a well-formed record 2 of another chain.
        var forked = MirrorChain()
        _ = forked.receive(subject: "tracker.KTM.s2", envelope: envelope("s2", 1, lines[0]))
        var other: [UInt8] = []
        _ = RecordCodec.encode(seq: 2, time: Timestamp(microseconds: 1_700_000_000_000_000), actor: Actor(uid: 0, name: "root"),
                               event: .agencyRegistered(AgencyRegistered(id: AgencyID(trusted: "Z"), name: "Z", note: nil)), prev: .zero, into: &other)
        guard case .stop(let fork) = forked.receive(subject: "tracker.KTM.s2", envelope: envelope("s2", 2, Array(other.dropLast()))) else {
            Issue.record("a fork was not stopped")
            return
        }
        #expect(fork.contains("seq 2") && fork.contains("fork"))
        // A version newer than this build knows: never a misread.
        var newer = MirrorChain()
        // Record 1 written as the next version of its type, its hash made over the new bytes.
        let current = AgencyRegistered.version
        let text = String(decoding: lines[0], as: UTF8.self).replacingOccurrences(of: "\"v\":\(current)", with: "\"v\":\(current + 1)")
        let head = String(text[..<text.range(of: ",\"hash\":")!.lowerBound])
        let hash = SHA256.hash(Array((String(repeating: "0", count: 64) + head).utf8))
        let v2 = Array((head + ",\"hash\":\"\(hash.hex)\"}").utf8)
        guard case .stop(let version) = newer.receive(subject: "tracker.QNG.s1", envelope: envelope("s1", 1, v2)) else {
            Issue.record("a newer version was not stopped")
            return
        }
        #expect(version.contains("store s1") && version.contains("seq 1") && version.contains("newer than this build understands"))
    }

    @Test("a second store on a province already mirrored, or a message naming another store, is stopped")
    func oneStorePerProvince() {
        let lines = records(1)
        var chain = MirrorChain()
        _ = chain.receive(subject: "tracker.QNG.s1", envelope: envelope("s1", 1, lines[0]))
        guard case .stop(let second) = chain.receive(subject: "tracker.QNG.s3", envelope: envelope("s3", 1, lines[0])) else {
            Issue.record("a second store of QNG was mirrored")
            return
        }
        #expect(second.contains("s3") && second.contains("QNG"))
        guard case .stop(let misnamed) = chain.receive(subject: "tracker.KTM.s2", envelope: envelope("s9", 1, lines[0])) else {
            Issue.record("a message naming another store was applied")
            return
        }
        #expect(misnamed.contains("s9"))
    }

    @Test("the same ids in two provinces are namespaced each by its own province, however often they recur")
    func namespacesEachProvince() {
        let lines = records(2)
        var chain = MirrorChain()
        var names: [String] = []
        for (subject, store) in [("tracker.QNG.s1", "s1"), ("tracker.KTM.s2", "s2")] {
            for (index, line) in lines.enumerated() {
                guard case .apply(let record) = chain.receive(subject: subject, envelope: envelope(store, index + 1, line)),
                      case .agencyRegistered(let agency) = record.event else {
                    Issue.record("\(store) record \(index + 1) was not applied")
                    return
                }
                names.append(agency.id.text)
            }
        }
        #expect(names == ["QNG:A1", "QNG:A2", "KTM:A1", "KTM:A2"])
    }

    @Test("an envelope whose record is not a record at all, not even JSON, stops its store naming store and seq")
    func refusesBrokenRecordBytes() throws {
        var chain = MirrorChain()
        let item = try LogEnvelope.read(Array(#"{"store":"s1","seq":1,"record":{"seq":1,oops}}"#.utf8))
        guard case .record(let envelope) = item else {
            Issue.record("not read as an envelope: \(item)")
            return
        }
        guard case .stop(let why) = chain.receive(subject: "tracker.QNG.s1", envelope: envelope) else {
            Issue.record("a broken record was applied")
            return
        }
        #expect(why.contains("store s1") && why.contains("seq 1"))
        #expect(chain.stores["s1"]?.stopped != nil)
    }
}
