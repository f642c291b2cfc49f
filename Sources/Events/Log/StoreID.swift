import Glibc

/// The store's stable identity: a name made once, at the store's first start, and kept in
/// `<store>/store.id` for the store's whole life.
///
/// Consumers of the change stream need to tell one province's store from another's without
/// touching the records (whose bytes are hashed): the id travels beside a record, in the
/// envelope `{"store":…,"seq":…,"record":…}`, the JetStream subject `PREFIX.PROVINCE.STORE` and
/// the message id `STORE:SEQ`. It is 16 lowercase hex digits (64 random bits), so it is a valid
/// subject token and file name everywhere. A backup carries it: a store restored from its backup
/// is the same store and continues its own subject, and the stream's expected-sequence check
/// catches a restored copy that falls behind what was already published.
public struct StoreID: Sendable, Hashable, CustomStringConvertible {
    /// The id as written (`[a-z0-9-]`, 1–64 characters; stores made here write 16 hex digits).
    public let text: String

    /// The longest id read back.
    public static let maximumLength = 64

    /// Validates `text`: 1–64 characters of `a–z`, `0–9` and `-`, so it is a subject token, a
    /// Kafka key and a file name without escaping.
    public init(_ text: String) throws(TrackerError) {
        guard (1...Self.maximumLength).contains(text.utf8.count),
              text.utf8.allSatisfy({ ($0 >= 0x61 && $0 <= 0x7A) || ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x2D }) else {
            throw TrackerError(.invalidArgument, "a store id is 1–\(Self.maximumLength) characters of a–z, 0–9 and '-', not '\(text.prefix(80))'")
        }
        self.text = text
    }

    public var description: String { text }

    /// What `loadOrCreate` found.
    public struct Loaded: Sendable {
        public var id: StoreID
        /// Whether the id was made now (a new store, or a store made before ids existed).
        public var created: Bool
    }

    /// Reads the store's id (`<store>/store.id`), or makes one when there is none.
    ///
    /// A file that is there but is not a plain file holding one valid id is refused (`corrupt`),
    /// never replaced: a new id would make the stream see another store. Call only while holding
    /// the store's lock.
    public static func loadOrCreate(_ layout: StoreLayout) throws(TrackerError) -> Loaded {
        if let id = try load(layout) { return Loaded(id: id, created: false) }
        var bytes = [UInt8](repeating: 0, count: 8)
        try FileSystem.randomBytes(&bytes, for: "the store id")
        let digits = Array("0123456789abcdef".utf8)
        let id = try StoreID(String(decoding: bytes.flatMap { [digits[Int($0 >> 4)], digits[Int($0 & 15)]] }, as: UTF8.self))
        do throws(Errno) {
            try FileSystem.createOnce(layout.id, Array((id.text + "\n").utf8), mode: 0o644)
        } catch {
            throw TrackerError(.ioError, "cannot create the store id \(layout.id): \(error)")
        }
        return Loaded(id: id, created: true)
    }

    /// Reads the store's id without making one (read-only readers, a backup); nil when the store
    /// has none yet.
    public static func load(_ layout: StoreLayout) throws(TrackerError) -> StoreID? {
        let path = layout.id
        let bytes: [UInt8]
        do throws(Errno) {
            guard let read = try FileSystem.readSmallFile(path, limit: 256) else { return nil }
            bytes = read
        } catch {
            throw TrackerError(.corrupt, "the store id file \(path) cannot be read as a plain file (\(error)); restore it from a backup of this store (it names the store in the stream)")
        }
        var text = String(decoding: bytes, as: UTF8.self)
        if text.hasSuffix("\n") { text.removeLast() }
        do throws(TrackerError) { return try StoreID(text) } catch {
            throw TrackerError(.corrupt, "the store id file \(path) holds no valid id: \(error.message); restore it from a backup of this store (it names the store in the stream)")
        }
    }
}
