import Events
import Foundation

extension VerifyReport {
    /// Writes the report's members into an open result object: the daemon's `verify` answer, and
    /// `trackctl verify --offline --json`, which has the same shape.
    public func encode(seconds: Double, to w: inout JSONWriter) {
        w.key("verified"); w.bool(ok)
        w.key("records"); w.int(Int64(records))
        w.key("bytes"); w.int(bytes)
        w.key("head")
        w.beginObject()
        w.key("seq"); w.int(Int64(headSeq))
        w.key("hash"); w.string(headHash.hex)
        w.endObject()
        if let found = anchorFound { w.key("anchor_found"); w.bool(found) }
        if let problem {
            w.key("problem")
            w.beginObject()
            w.key("seq"); w.int(Int64(problem.seq))
            w.key("message"); w.string(problem.message)
            w.endObject()
        }
        w.key("seconds"); w.number(String(format: "%.3f", seconds))
    }
}
