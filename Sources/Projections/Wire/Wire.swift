import Events

/// The wire protocol shared by `trackerd` and `trackctl` (and any client: `socat`, a script).
///
/// Newline-delimited JSON over a Unix socket; one request line, one response line:
///
///     → {"id":1,"op":"disburse","task":"860/KH-BDT#1","amount":"3,402 triệu","date":"2023-11-30","ref":"UNC-1"}
///     ← {"id":1,"ok":true,"result":{…}}
///     ← {"id":1,"ok":false,"error":{"code":"exceeds_allocation","message":"…","details":{…}}}
///
/// `alerts.follow` answers once, then streams `{"id":…,"stream":"alert","alert":{…}}` lines until
/// the client leaves. Every operation is a row of `WireOperation`'s table (the role it needs,
/// whether it writes, who answers it); the typed answers (`CommandAnswer`, `HelloAnswer`, …) are
/// written by trackerd and read by trackctl. docs/architecture.md lists every operation, field
/// and error code.
public enum Wire {
    /// The protocol's version, sent by `hello`: 2 since `log` and `status` come in pages (an
    /// older client would read a first page as the whole answer); 3 since status rows have money
    /// returned to the budget (which `remaining` leaves out) and planned money not split by year
    /// (which the rate against the plan leaves out), and `refund`, `amend` and `agencies` exist; 4
    /// since answers name decisions by their full key, `569/QĐ-UBND@QNG/2023` (`DocumentKey`), where
    /// they named the number alone.
    /// trackctl speaks exactly this version and refuses a daemon that speaks another
    /// (docs/architecture.md, Versioning).
    public static let protocolVersion = 4

    /// Writes a success response line (with newline); `result` writes the result object's members
    /// (and may throw, for an answer read from the log as it is written).
    /// `capacity` is room reserved up front (large answers are then written without regrowing).
    public static func success<E: Error>(id: JSONValue, capacity: Int = 256, _ result: (inout JSONWriter) throws(E) -> Void) throws(E) -> [UInt8] {
        var w = JSONWriter(capacity: capacity)
        w.beginObject()
        w.key("id"); w.value(id)
        w.key("ok"); w.bool(true)
        w.key("result")
        w.beginObject()
        try result(&w)
        w.endObject()
        w.endObject()
        w.bytes.append(0x0A)
        return w.bytes
    }

    /// Writes a line of a stream (with newline): `{"id":…,"stream":NAME,NAME:{…}}`, the object
    /// (a whole JSON value) written by `object`.
    public static func stream(id: JSONValue, _ name: String, capacity: Int = 512, _ object: (inout JSONWriter) -> Void) -> [UInt8] {
        var w = JSONWriter(capacity: capacity)
        w.beginObject()
        w.key("id"); w.value(id)
        w.key("stream"); w.string(name)
        w.key(name)
        object(&w)
        w.endObject()
        w.bytes.append(0x0A)
        return w.bytes
    }

    /// Writes an error response line (with newline).
    public static func failure(id: JSONValue, _ error: TrackerError) -> [UInt8] {
        var w = JSONWriter(capacity: 256)
        w.beginObject()
        w.key("id"); w.value(id)
        w.key("ok"); w.bool(false)
        w.key("error")
        w.beginObject()
        w.key("code"); w.string(error.code.rawValue)
        w.key("message"); w.string(error.message)
        if let details = error.details { w.key("details"); w.value(.object(details)) }
        w.endObject()
        w.endObject()
        w.bytes.append(0x0A)
        return w.bytes
    }
}
