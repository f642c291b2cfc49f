import Events
import Foundation
import Glibc
import Projections

/// The socket server: one thread, non-blocking sockets, `epoll` (`EPoll`).
///
/// It accepts connections, reads request lines, hands each to the `RequestHandler` and writes the
/// answers back in request order. Commands are answered later, when the writer has made them
/// durable; queries come back as jobs the loop runs on its lanes (`schedule`). Either way the
/// answer is posted here and the loop is woken through a pipe, except a command's answer that is
/// the next one due on a connection with nothing waiting to be sent: the writer sends that one
/// itself (`DirectAnswer`) and leaves a note for the loop's next turn. Under load the loop rarely sleeps:
/// it reads what every ready connection sent, so many requests reach the writer between two
/// syncs (group commit), with no thread switch per request.
///
/// Budgets hold per request, not per read: a line is handled only while its connection has fewer
/// than `max_requests_in_flight` requests unanswered and holds less than `max_output_bytes` of
/// answers (sent or parked out of order); the lines after it wait in the connection's input, and
/// the socket is not read further, until answers drain. A query is started only when its
/// connection has room for its answer (pull, not push), each lane runs a fixed number at once,
/// taking connections in turn, and one connection runs at most one query per lane. When all
/// connections together hold `max_output_bytes_total`, only those that hold nothing are served.
/// A slow client therefore costs its own memory (bounded) and its own turns; it is dropped after
/// the send timeout.
final class EventLoop: @unchecked Sendable {
    /// One lane: its threads, how many of its jobs run, and the connections with jobs waiting,
    /// taken in turn.
    private struct Lane {
        let pool: WorkerPool
        let slots: Int
        var running = 0
        var ring: [UInt64] = []
        var turn = 0
    }

    private enum Message {
        case reply(UInt64, seq: UInt64, [UInt8])
        case stream(UInt64, [UInt8])
        /// A lane's job is done; its answer, unless it comes later as a reply.
        case finished(UInt64, lane: Int, seq: UInt64, [UInt8]?)
        /// A chunk of a log follower's stream has been read.
        case logChunk(UInt64, [UInt8])
        /// A configuration reloaded (SIGHUP): limits and roles for what comes next.
        case configure(Limits, AccessPolicy)
        /// The writer sent the answer to `seq` itself (`DirectAnswer`).
        case sentElsewhere(UInt64, seq: UInt64)
        /// Some of that answer waits in the connection's `DirectAnswer` for the loop to send.
        case leftover(UInt64)
    }

    private let address: UnixSocketAddress
    private let listener: FileDescriptor
    private let handler: any RequestHandling
    /// Owned by the loop's thread; replaced by `reconfigure`.
    private var limits: Limits
    /// The answer to a request line longer than `max_line_bytes` (made once per configuration).
    private var lineTooLong: [UInt8]
    private var access: AccessPolicy
    private let log: DaemonLog
    private let hub: AlertHub
    /// The live head and the store's files, which log followers read.
    private let live: LiveLedger
    private let layout: StoreLayout
    /// The threads that read log followers' chunks (never a query lane's).
    private let followPool = WorkerPool(threads: 2, name: "trackerd-follow")
    /// Connections following the log (read by the writer's commit hook from any thread).
    private let logFollowers = LockedBox(0)
    private var connections: [UInt64: Connection] = [:]
    /// Open connections by the caller's uid (for `max_connections_per_uid`).
    private var connectionsByUID: [UInt32: Int] = [:]
    private var nextID: UInt64 = 1
    private let inbox = LockedBox<(messages: [Message], signalled: Bool)>(([], false))
    private let wakePipe: NonBlockingPipe
    /// The sockets and the wake pipe, watched (`EPoll`).
    private let watcher: EPoll
    private let state = LockedBox<(accepting: Bool, running: Bool)>((true, true))
    private let finished = ConditionLock()
    private var done = false
    private var readBuffer = [UInt8](repeating: 0, count: 256 << 10)
    /// The lanes, by `QueryLane.rawValue`.
    private var lanes: [Lane]
    /// Whether all connections together hold `max_output_bytes_total` or more (measured each turn).
    private var overBudget = false
    /// This turn's wait found one client ready and nothing else: a command it sends as its last
    /// line is made durable on the loop's thread when the writer is idle (`Writer.submit(…, inline:)`),
    /// with no hand-off to the writer's thread and back.
    private var quietTurn = false

    /// Whether the socket file is the daemon's to remove at the end (not when systemd made it).
    private let ownsSocketFile: Bool

    /// A loop listening on `address`, or on `activated` (a socket systemd made and passed).
    init(address: UnixSocketAddress, activated: FileDescriptor? = nil, handler: any RequestHandling, limits: Limits, access: AccessPolicy,
         log: DaemonLog, hub: AlertHub, live: LiveLedger, layout: StoreLayout) throws(TrackerError) {
        self.address = address
        ownsSocketFile = activated == nil
        self.live = live
        self.layout = layout
        self.handler = handler
        self.limits = limits
        lineTooLong = Wire.failure(id: .null, limits.lineTooLarge)
        self.access = access
        self.log = log
        self.hub = hub
        // Light queries take microseconds to milliseconds: a few threads more than the cores, so
        // one slow report does not hold the others. Heavy ones take the lane's own threads.
        let light = max(4, 2 * ProcessInfo.processInfo.activeProcessorCount)
        lanes = QueryLane.allCases.map { lane in
            let slots = lane == .heavy ? limits.heavyQueries : light
            return Lane(pool: WorkerPool(threads: slots, name: lane == .heavy ? "trackerd-heavy" : "trackerd-query"), slots: slots)
        }
        do { wakePipe = try NonBlockingPipe() } catch { throw TrackerError(.ioError, "cannot create the wake-up pipe: \(error)") }
        do { watcher = try EPoll() } catch { throw TrackerError(.ioError, "cannot create the event loop's epoll set: \(error)") }
        if let activated { listener = activated } else { listener = try Socket.listen(at: address) }
        for (fd, id) in [(wakePipe.readEnd, Self.wakeID), (listener.rawValue, Self.listenerID)] {
            if case .failure(let error) = watcher.add(fd, events: EPoll.input, id: id) {
                throw TrackerError(.ioError, "cannot watch the event loop's descriptors: \(error)")
            }
        }
    }

    /// Starts serving on a thread of its own.
    func start() {
        let thread = Thread { [self] in run() }
        thread.name = "trackerd-loop"
        thread.stackSize = 4 << 20
        thread.start()
    }

    /// Stops accepting and reading requests and removes the socket; answers still owed keep flowing.
    func stopAccepting() {
        state.withLockedValue { $0.accepting = false }
        wake()
    }

    /// Sends what is owed (up to `seconds`), closes every connection and ends the loop.
    func finish(within seconds: Double) {
        let deadline = monotonicNow() + seconds
        while monotonicNow() < deadline {
            let owed = inbox.withLockedValue { !$0.messages.isEmpty }
            if !owed && outputDrained.withLockedValue({ $0 }) { break }
            usleep(5_000)
        }
        state.withLockedValue { $0.running = false }
        wake()
        finished.withLock { while !done { _ = finished.wait(seconds: 0.1) } }
    }

    private let outputDrained = LockedBox(true)

    /// Tells the loop that records became durable, so log followers get them now rather than at
    /// the next turn (any thread; nothing is done when nobody follows the log).
    func recordsCommitted() {
        if logFollowers.withLockedValue({ $0 }) > 0 { wake() }
    }

    /// Takes reloaded limits and roles (any thread): connections accepted from then on get their
    /// role from `access`, and every limit applies from the next turn of the loop (the threads of
    /// the lanes, `heavy_queries_at_once`, stay as they were started).
    func reconfigure(limits: Limits, access: AccessPolicy) {
        post(.configure(limits, access))
    }

    /// Queues an answer for connection `id` (any thread).
    private func post(_ message: Message, wake mayWake: Bool = true) {
        let mustWake = inbox.withLockedValue { box -> Bool in
            box.messages.append(message)
            // Without a wake-up the message waits for the loop's next turn (a direct answer's
            // note: the client's next request is that turn).
            guard mayWake else { return false }
            defer { box.signalled = true }
            return !box.signalled
        }
        if mustWake { wake() }
    }

    private func wake() { wakePipe.poke() }

    // MARK: The loop

    /// The ids the wake pipe and the listener come back with from `watcher` (connections count from 1).
    private static let wakeID: UInt64 = 0
    private static let listenerID = UInt64.max

    private func run() {
        var ready: [(id: UInt64, events: UInt32)] = []
        var listening = true
        while true {
            let (accepting, running) = state.withLockedValue { ($0.accepting, $0.running) }
            if !accepting && listening {
                listening = false
                watcher.remove(listener.rawValue)
                listener.close()
                if ownsSocketFile { _ = systemCall { unlink(address.path) } }
            }
            if !running { break }
            for (id, connection) in connections {
                // A client that has hung up is only waited on for the answers it is owed.
                let waited = !(connection.closeAfterFlush && connection.pendingOutput == 0)
                // Read only when the lines already received are handled and there is room for more.
                let wantsInput = waited && (connection.following
                    || (accepting && !connection.closeAfterFlush && !connection.linesWaiting && mayHandle(connection)))
                connection.watchingInput = wantsInput
                let events = (wantsInput ? EPoll.input : 0) | (connection.pendingOutput > 0 ? EPoll.output : 0)
                watch(id, connection, waited ? events : nil)
            }
            ready.removeAll(keepingCapacity: true)
            if case .failure(let error) = watcher.wait(milliseconds: 250, { ready.append(($0, $1)) }) {
                log.error("epoll_wait failed: \(error)")
                usleep(10_000)
            }
            let now = monotonicNow()
            quietTurn = ready.count == 1
            if ready.contains(where: { $0.id == Self.wakeID }) { wakePipe.drain() }
            deliverInbox(now: now)
            if listening && ready.contains(where: { $0.id == Self.listenerID }) { acceptAll(now: now) }
            for (id, events) in ready where id != Self.wakeID && id != Self.listenerID {
                guard let connection = connections[id] else { continue }
                if connection.watchingInput && events & (EPoll.input | EPoll.hangUp | EPoll.error) != 0 {
                    read(id, now: now)
                } else if events & (EPoll.hangUp | EPoll.error) != 0 {
                    // Gone altogether (not half-closed): the answers it is owed cannot reach it.
                    close(id)
                }
            }
            quietTurn = false
            // Answers posted while reading go out in this turn.
            deliverInbox(now: now)
            var drained = true
            var held = 0
            for (id, connection) in connections {
                flush(id, now: now)
                if connections[id] != nil {
                    if connection.pendingOutput > 0 { drained = false }
                    held += connection.held
                }
            }
            overBudget = held >= limits.maxOutputBytesTotal
            feedLogFollowers()
            // Lines that waited for room, then the lanes' next jobs.
            for (id, connection) in connections where accepting && connection.linesWaiting && mayHandle(connection) {
                handleWaitingLines(id, connection, now: now)
            }
            schedule()
            let idle = lanes.allSatisfy { $0.running == 0 && $0.ring.isEmpty }
            outputDrained.withLockedValue { $0 = drained && idle && inbox.withLockedValue { $0.messages.isEmpty } }
            expire(now: now)
        }
        for id in Array(connections.keys) { close(id) }
        wakePipe.close()
        finished.withLock {
            done = true
            finished.broadcast()
        }
    }

    /// Has `watcher` watch the connection's socket for `events` (nil: not at all), telling the
    /// kernel only when that changes.
    private func watch(_ id: UInt64, _ connection: Connection, _ events: UInt32?) {
        guard connection.watched != events else { return }
        let result: Result<Void, Errno>
        switch (connection.watched, events) {
        case (nil, let events?): result = watcher.add(connection.fd, events: events, id: id)
        case (_?, let events?): result = watcher.modify(connection.fd, events: events, id: id)
        case (_?, nil):
            watcher.remove(connection.fd)
            result = .success(())
        case (nil, nil): return
        }
        if case .failure(let error) = result {
            log.error("cannot watch a client's socket: \(error)")
            return
        }
        connection.watched = events
    }

    private func deliverInbox(now: Double) {
        let messages = inbox.withLockedValue { box -> [Message] in
            box.signalled = false
            defer { box.messages.removeAll(keepingCapacity: true) }
            return box.messages
        }
        for message in messages {
            switch message {
            case .reply(let id, let seq, let bytes): deliver(id, seq: seq, bytes, now: now)
            case .stream(let id, let bytes):
                connections[id]?.stream(bytes)
            case .finished(let id, let lane, let seq, let bytes):
                lanes[lane].running -= 1
                guard let connection = connections[id] else { continue }
                connection.running[lane] -= 1
                if let bytes { deliver(id, seq: seq, bytes, now: now) }
            case .logChunk(let id, let bytes):
                guard let connection = connections[id], let follower = connection.logFollower else { continue }
                follower.reading = false
                connection.stream(bytes)
                if follower.ended { connection.closeAfterFlush = true }
            case .configure(let limits, let access):
                var kept = limits
                kept.heavyQueries = self.limits.heavyQueries
                self.limits = kept
                lineTooLong = Wire.failure(id: .null, kept.lineTooLarge)
                self.access = access
            case .sentElsewhere(let id, let seq):
                guard let connection = connections[id] else { continue }
                connection.idleSince = now
                connection.lastProgress = now
                connection.placeSentElsewhere(seq: seq)
            case .leftover(let id):
                connections[id]?.directLeftover = true
            }
        }
    }

    /// Puts an answer in its place: answers go out in the order of the requests.
    private func deliver(_ id: UInt64, seq: UInt64, _ bytes: [UInt8], now: Double) {
        guard let connection = connections[id] else { return }
        connection.idleSince = now
        connection.place(bytes, seq: seq)
    }

    private func acceptAll(now: Double) {
        while true {
            let client: FileDescriptor
            switch Socket.accept(listener) {
            case .success(.wouldBlock): return
            case .failure(let error):
                log.warning("accept failed: \(error)")
                return
            case .success(.processed(let accepted)): client = accepted
            }
            guard connections.count < limits.maxConnections else {
                refuse(client, TrackerError(.busy, "trackerd is serving \(limits.maxConnections) connections, its limit (max_connections); try again shortly"))
                continue
            }
            let credentials = Socket.peerCredentials(client)
            let uid = credentials?.uid ?? UInt32.max
            let gid = credentials?.gid ?? UInt32.max
            let name = credentials == nil ? "unknown" : Socket.userName(uid)
            // The daemon's own user is not held to the per-user limit: it owns the store and can
            // stop the daemon, so the limit would protect nothing, and the operator's tools run as it.
            let open = connectionsByUID[uid, default: 0]
            guard uid == access.daemonUID || open < limits.maxConnectionsPerUID else {
                refuse(client, TrackerError(.busy, "\(name) (uid \(uid)) already has \(open) connections open, the most one user may hold (max_connections_per_uid = \(limits.maxConnectionsPerUID)); close one or try again shortly"))
                continue
            }
            let grant = credentials == nil ? nil : access.grant(uid: uid, gid: gid)
            let caller = Caller(actor: Actor(uid: uid, name: name), gid: gid, pid: credentials?.pid ?? 0, role: grant?.role, scope: grant?.scope,
                                connection: nextID)
            connections[nextID] = Connection(fd: client.rawValue, caller: caller, now: now)
            connectionsByUID[uid] = open + 1
            nextID += 1
        }
    }

    /// Answers a connection that is not taken with `error`, and closes it.
    private func refuse(_ client: FileDescriptor, _ error: TrackerError) {
        let line = Wire.failure(id: .null, error)
        _ = line.withUnsafeBytes { Socket.send(client.rawValue, $0) }
        client.close()
    }

    // MARK: Requests

    /// Whether the connection may have one more request handled: fewer than
    /// `max_requests_in_flight` unanswered, less than `max_output_bytes` of answers held, and,
    /// when all connections together are over `max_output_bytes_total`, nothing held at all.
    private func mayHandle(_ connection: Connection) -> Bool {
        connection.inFlight < UInt64(limits.maxRequestsInFlight) && connection.held < limits.maxOutputBytes
            && (!overBudget || connection.held == 0)
    }

    private func read(_ id: UInt64, now: Double) {
        guard let connection = connections[id] else { return }
        let count: Int
        switch readBuffer.withUnsafeMutableBytes({ connection.receive(into: $0) }) {
        case .success(.processed(let n)): count = n
        case .success(.wouldBlock): return
        case .failure:
            close(id)
            return
        }
        if count == 0 {
            // The client is done sending (it may wait for answers still owed: `socat` does).
            connection.closeAfterFlush = true
            if connection.canClose { close(id) }
            return
        }
        if connection.following { return }
        readBuffer.withUnsafeBytes { raw in
            // The rest of a line too long to read is dropped up to its newline.
            guard let bytes = connection.skippingDiscarded(UnsafeRawBufferPointer(rebasing: raw[0..<count])) else { return }
            if connection.unhandledInput == 0 {
                // Nothing kept from before: lines are handled from the read buffer, and only what
                // is left (lines waiting for room, the start of the next line) is copied.
                connection.clearInput(keepingCapacity: true)
                let used = handleLines(id, connection, bytes, now: now)
                if !connection.following && used < bytes.count {
                    connection.input.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[used...]))
                }
            } else {
                connection.input.append(contentsOf: bytes)
                handleWaitingLines(id, connection, now: now)
            }
        }
        limitPartialLine(connection)
    }

    /// Handles the lines kept in the connection's input while it has room.
    private func handleWaitingLines(_ id: UInt64, _ connection: Connection, now: Double) {
        let input = connection.input
        let used = input.withUnsafeBytes { raw in
            handleLines(id, connection, UnsafeRawBufferPointer(rebasing: raw[connection.inputStart...]), now: now)
        }
        if connection.following { return }
        connection.consumeInput(used)
        limitPartialLine(connection)
    }

    /// Handles the whole lines at the start of `bytes` while the connection has room; returns how
    /// many bytes were used (through the last handled line's newline). The lines left are whole
    /// lines waiting (`linesWaiting`) or the start of a line.
    private func handleLines(_ id: UInt64, _ connection: Connection, _ bytes: UnsafeRawBufferPointer, now: Double) -> Int {
        var start = 0
        connection.linesWaiting = false
        while start < bytes.count, let newline = memchr(bytes.baseAddress! + start, 0x0A, bytes.count - start) {
            guard mayHandle(connection) else {
                connection.linesWaiting = true
                return start
            }
            let end = bytes.baseAddress!.distance(to: newline)
            if end - start > limits.maxLineBytes {
                connection.respondNow(lineTooLong)
            } else {
                // A command that is the last line read may be made durable right here (`quietTurn`).
                let last = memchr(bytes.baseAddress! + end + 1, 0x0A, bytes.count - end - 1) == nil
                answer(id, connection, UnsafeRawBufferPointer(rebasing: bytes[start..<end]), inline: quietTurn && last, now: now)
            }
            start = end + 1
            if connection.following {
                // A follower's later lines are not read.
                connection.clearInput()
                return bytes.count
            }
        }
        return start
    }

    /// A line still coming that is already longer than the limit is answered `too_large`, and its
    /// rest is dropped as it comes.
    private func limitPartialLine(_ connection: Connection) {
        guard !connection.linesWaiting, !connection.following, connection.unhandledInput > limits.maxLineBytes else { return }
        connection.discardPartialLine()
        connection.respondNow(lineTooLong)
    }

    private func answer(_ id: UInt64, _ connection: Connection, _ line: UnsafeRawBufferPointer, inline: Bool, now: Double) {
        var bytes = line
        if let last = bytes.last, last == 0x0D { bytes = UnsafeRawBufferPointer(rebasing: bytes.dropLast()) }
        // A blank line is no request: it is not answered, and it does not keep the connection alive.
        if bytes.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { return }
        connection.idleSince = now
        let seq = connection.nextRequest
        let direct = connection.direct
        let reply = handler.handle(bytes, caller: connection.caller, inline: inline) { [weak self] answer in
            // Straight to the client when the loop allowed it (below), else through the loop.
            let sent = direct.send(answer, seq: seq, announce: { self?.post(.sentElsewhere(id, seq: seq), wake: false) },
                                   leftover: { self?.post(.leftover(id)) })
            if !sent { self?.post(.reply(id, seq: seq, answer)) }
        }
        switch reply {
        case .line(let answer):
            connection.respondNow(answer)
        case .pending:
            connection.nextRequest += 1
            connection.allowDirectAnswer(seq)
        case .job(let lane, let work):
            connection.nextRequest += 1
            if connection.queued[lane.rawValue].isEmpty { lanes[lane.rawValue].ring.append(id) }
            connection.queued[lane.rawValue].append(Connection.Job(seq: seq, work: work))
        case .follow(let answer, let requestID, let filter):
            connection.respondNow(answer)
            connection.following = true
            connection.clearInput()
            hub.subscribe(id, filter: filter) { [weak self, handler] alert in
                self?.post(.stream(id, handler.streamLine(id: requestID, alert)))
            }
        case .followLog(let answer, let follower):
            connection.respondNow(answer)
            connection.following = true
            connection.logFollower = follower
            connection.clearInput()
            logFollowers.withLockedValue { $0 += 1 }
        }
    }

    // MARK: Log followers

    /// Starts reading the next chunk for every log follower that has room for it (less than half
    /// of `max_output_bytes` unsent), is not reading one already, and stands at or before the
    /// head: pull, as for queries, so a slow follower holds a bounded amount.
    private func feedLogFollowers() {
        var head: LogPosition? = nil
        for (id, connection) in connections {
            guard let follower = connection.logFollower, !follower.reading, !follower.ended, !connection.closeAfterFlush,
                  connection.pendingOutput < limits.maxOutputBytes / 2 else { continue }
            if head == nil { head = live.head }
            guard let through = head, follower.next <= through.seq else { continue }
            follower.reading = true
            followPool.run { [weak self, layout] in
                let bytes = follower.readChunk(layout: layout, through: through)
                self?.post(.logChunk(id, bytes))
            }
        }
    }

    // MARK: Lanes

    /// Starts the jobs the lanes have room for, taking the connections with jobs waiting in turn
    /// (round robin). A connection runs at most one job per lane, and none while it holds
    /// `max_output_bytes` of answers or, over the total budget, any answer at all (`mayStart`):
    /// a job is pulled when its answer has somewhere to go, never pushed onto a client that does
    /// not read.
    private func schedule() {
        for index in lanes.indices {
            var passed = 0
            while lanes[index].running < lanes[index].slots && passed < lanes[index].ring.count {
                let at = lanes[index].turn % lanes[index].ring.count
                let id = lanes[index].ring[at]
                guard let connection = connections[id] else {
                    lanes[index].ring.remove(at: at)
                    continue
                }
                guard connection.running[index] == 0 && mayStart(connection.queued[index][0], of: connection) else {
                    lanes[index].turn = at + 1
                    passed += 1
                    continue
                }
                let job = connection.queued[index].removeFirst()
                if connection.queued[index].isEmpty {
                    lanes[index].ring.remove(at: at)
                    lanes[index].turn = at
                } else {
                    lanes[index].turn = at + 1
                }
                passed = 0
                connection.running[index] += 1
                lanes[index].running += 1
                lanes[index].pool.run { [weak self] in
                    let answer = job.work()
                    self?.post(.finished(id, lane: index, seq: job.seq, answer))
                }
            }
        }
    }

    /// Whether the connection has room for `job`'s answer. The job of the next answer due is
    /// measured against what is unsent only: the answers parked behind it wait for it, so they
    /// must not keep it from starting.
    private func mayStart(_ job: Connection.Job, of connection: Connection) -> Bool {
        let held = job.seq == connection.nextReply ? connection.pendingOutput : connection.held
        return held < limits.maxOutputBytes && (!overBudget || held == 0)
    }

    // MARK: Output

    private func flush(_ id: UInt64, now: Double) {
        guard let connection = connections[id] else { return }
        guard connection.sendPending(now: now) else {
            close(id)
            return
        }
        if connection.canClose { close(id) }
    }

    /// Drops clients that do not read their answers, and closes idle ones.
    private func expire(now: Double) {
        for (id, connection) in connections {
            if connection.pendingOutput > 0 && now - connection.lastProgress > limits.sendTimeout {
                log.warning("dropped a client (uid \(connection.caller.actor.uid)) that did not read its answers for \(Int(limits.sendTimeout)) s")
                close(id)
            } else if !connection.following && !connection.closeAfterFlush && !connection.linesWaiting && connection.inFlight == 0
                        && connection.pendingOutput == 0 && now - connection.idleSince > limits.idleTimeout {
                connection.respondNow(Wire.failure(id: .null, TrackerError(.timeout, "closing the connection after \(Int(limits.idleTimeout)) s without a request")))
                connection.closeAfterFlush = true
                flush(id, now: now)
            }
        }
    }

    private func close(_ id: UInt64) {
        guard let connection = connections.removeValue(forKey: id) else { return }
        if connection.following { hub.unsubscribe(id) }
        if connection.logFollower != nil { logFollowers.withLockedValue { $0 -= 1 } }
        handler.connectionClosed(id)
        for index in lanes.indices where !connection.queued[index].isEmpty {
            lanes[index].ring.removeAll { $0 == id }
        }
        let uid = connection.caller.actor.uid
        if let open = connectionsByUID[uid] { connectionsByUID[uid] = open > 1 ? open - 1 : nil }
        if connection.watched != nil { watcher.remove(connection.fd) }
        connection.direct.close()
    }
}

/// Seconds on the monotonic clock.
func monotonicNow() -> Double {
    var now = timespec()
    clock_gettime(CLOCK_MONOTONIC, &now)
    return Double(now.tv_sec) + Double(now.tv_nsec) / 1e9
}
