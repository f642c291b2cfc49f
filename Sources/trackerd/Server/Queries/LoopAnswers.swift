import Events
import Projections

/// The answers the event loop gives at once (`hello`, `head`, `clock.set`): cheap, reading
/// nothing large.
struct LoopAnswers: Sendable {
    let context: QueryContext
    /// The writer, nil on a daemon that only reads.
    let writer: Writer?
    /// The alert scheduler, nil on a daemon that only reads (it raises no alerts).
    let scheduler: AlertScheduler?

    func hello(_ request: Wire.Request) -> [UInt8] {
        let answer = HelloAnswer(store: context.layout.directory, head: LogHead(context.live.head), clock: context.clockReading,
                                 writesSuspended: writer?.suspendedReason, storeID: context.storeID?.text,
                                 province: context.province.text, stream: context.streamStatus())
        return Wire.success(id: request.id) { w in answer.encode(to: &w) }
    }

    func head(_ request: Wire.Request) -> [UInt8] {
        let answer = HeadAnswer(head: LogHead(context.live.head), clock: context.clockReading, storeID: context.storeID?.text)
        return Wire.success(id: request.id) { w in answer.encode(to: &w) }
    }

    func setClock(_ request: Wire.Request, caller: Caller) throws(TrackerError) -> [UInt8] {
        try request.fields.rejectUnknownKeys(["now"], envelope: true, in: "clock.set request")
        let text = try request.fields.string("now")
        let time = try Timestamp.parse(text)
        let clock = context.clock
        guard clock.isSimulated else {
            throw TrackerError(.invalidArgument, "the clock is real; only a daemon started with --now has a clock that can be set")
        }
        try Clock.check(time, what: "clock.set \(text)")
        // Records and alerts already made at the later time would lie ahead of a clock set back.
        let now = clock.now()
        if time < now {
            throw TrackerError(.invalidArgument, "the simulated clock reads \(now) (business today \(clock.today().vietnamese)); it only moves forward, and \(time) is earlier. To replay from an earlier day, start a daemon on a copy of the store with --now")
        }
        guard clock.set(time) else {
            throw TrackerError(.invalidArgument, "the clock is real; only a daemon started with --now has a clock that can be set")
        }
        context.log.info("simulated clock set to \(time) (business today \(clock.today().vietnamese)) by \(caller.actor)")
        scheduler?.wake()
        let reading = context.clockReading
        return Wire.success(id: request.id) { w in reading.encode(to: &w) }
    }
}
