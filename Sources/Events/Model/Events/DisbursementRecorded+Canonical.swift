/// Reading a disbursement's body the way this build writes it, with no JSON tree in between: most
/// records of a log are disbursements, so this is most of what replay and `verify` decode.
extension DisbursementRecorded {
    /// The body laid out exactly as `encode` writes one without a note
    /// (`{"task":"…","decision":"…","amount":N,"date":"YYYY-MM-DD","ref":"…"}`), with strings that
    /// need no escapes; nil for anything else, which the caller then reads as JSON (and so gets the
    /// same event, or the error that explains what is wrong).
    init?(canonical body: UnsafeRawBufferPointer, ids: inout IdentifierReader) {
        var cursor = ByteCursor(body)
        guard cursor.expect(#"{"task":""#), let task = cursor.plainString(),
              cursor.expect(#","decision":""#), let decision = cursor.plainString(),
              cursor.expect(#","amount":"#), let amount = cursor.wholeNumber(),
              cursor.expect(#","date":""#), let date = cursor.isoDate(),
              cursor.expect(#","ref":""#), let ref = cursor.plainString(),
              cursor.expect("}"), cursor.atEnd else { return nil }
        do throws(TrackerError) {
            self.init(task: try ids.task(task), decision: try ids.decision(decision), amount: Money(dong: amount), date: date,
                      ref: try ids.payment(ref))
        } catch {
            return nil
        }
    }
}
