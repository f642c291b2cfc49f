import Foundation

/// A point of the hash chain recorded outside the store: a sequence number and its hash.
///
/// `trackctl head --output FILE` writes one; an auditor keeps, signs or sends it; later
/// `trackctl verify --against FILE` proves the log still extends it (nothing before it was
/// changed, removed, reordered or inserted, and nothing after it was cut).
public struct ChainAnchor: Sendable, Equatable {
    /// The record's sequence number (nil when only a hash was written down).
    public var seq: UInt64?
    public var hash: SHA256Digest

    public init(seq: UInt64?, hash: SHA256Digest) {
        self.seq = seq
        self.hash = hash
    }

    /// The text file form: plain lines an auditor can read, sign and compare.
    public func fileText(recordedAt time: Timestamp, store: String) -> String {
        """
        tracker chain head
        seq: \(seq.map(String.init) ?? "unknown")
        hash: \(hash.hex)
        recorded: \(time)
        store: \(store)

        """
    }

    /// Reads an anchor from what a person gives: 64 hex characters, `SEQ:HASH`, or the text of a
    /// file written by `fileText` (or any text with `seq:` and `hash:` lines).
    public static func parse(_ text: String) throws(TrackerError) -> ChainAnchor {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if let hash = SHA256Digest(hex: trimmed) { return ChainAnchor(seq: nil, hash: hash) }
        if let colon = trimmed.firstIndex(of: ":"), let seq = UInt64(trimmed[..<colon]),
           let hash = SHA256Digest(hex: trimmed[trimmed.index(after: colon)...]) {
            return ChainAnchor(seq: seq, hash: hash)
        }
        var seq: UInt64? = nil
        var hash: SHA256Digest? = nil
        for line in trimmed.split(whereSeparator: \.isNewline) {
            let parts = line.split(separator: ":", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard parts.count == 2 else { continue }
            switch parts[0].lowercased() {
            case "seq": seq = UInt64(parts[1])
            case "hash": hash = SHA256Digest(hex: parts[1])
            default: break
            }
        }
        guard let hash else {
            throw TrackerError(.invalidArgument, "no head hash found: give 64 hex characters, SEQ:HASH, or a file written by `trackctl head --output`")
        }
        return ChainAnchor(seq: seq, hash: hash)
    }
}
