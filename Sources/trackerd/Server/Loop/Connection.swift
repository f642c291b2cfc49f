import Events
import Glibc

/// One client of the event loop: its socket, the bytes it sent and not yet handled (framing into
/// lines), the answers it is owed in request order, and its query jobs waiting for their lanes.
///
/// A class, so the buffers are changed in place (a struct copied out of the loop's dictionary and
/// back would copy its buffers on every change). Owned by the loop's thread alone.
final class Connection {
    /// A query waiting for its lane: the request's place in the connection's order and the work.
    struct Job {
        let seq: UInt64
        let work: @Sendable () -> [UInt8]?
    }

    let fd: Int32
    let caller: Caller
    /// The writer's way past the loop for this connection's next answer.
    let direct: DirectAnswer
    /// A direct answer's rest waits in `direct` for the loop to send it.
    var directLeftover = false
    /// What the loop's `EPoll` watches the socket for; nil when it is not in the set.
    var watched: UInt32?
    /// Whether this turn's wait included the socket's input.
    var watchingInput = false
    /// Bytes received and not yet handled, from `inputStart`: whole lines waiting for room
    /// (then `linesWaiting`), and the start of a line still coming.
    var input: [UInt8] = []
    var inputStart = 0
    var linesWaiting = false
    /// The rest of a line too long to read is being dropped up to its newline.
    var discarding = false
    var output: [UInt8] = []
    var sent = 0
    var nextRequest: UInt64 = 0
    var nextReply: UInt64 = 0
    var parked: [UInt64: [UInt8]] = [:]
    var parkedBytes = 0
    /// Query jobs waiting for a turn on each lane, oldest first; and how many run.
    var queued: [[Job]] = Array(repeating: [], count: QueryLane.allCases.count)
    var running: [Int] = Array(repeating: 0, count: QueryLane.allCases.count)
    /// Since when nothing happened: a request handled or an answer delivered (blank lines and
    /// bytes of a line still coming do not count).
    var idleSince: Double
    var lastProgress: Double
    var following = false
    /// Set when the connection follows the log (`log` with `follow`).
    var logFollower: LogStreamer?
    var closeAfterFlush = false

    var pendingOutput: Int { output.count - sent + (directLeftover ? 1 : 0) }
    /// Answers held for the client: not yet sent, or waiting for an earlier one.
    var held: Int { pendingOutput + parkedBytes }
    var inFlight: UInt64 { nextRequest - nextReply }
    /// Nothing is owed any more and nothing more will be read.
    var canClose: Bool { closeAfterFlush && !linesWaiting && inFlight == 0 && pendingOutput == 0 }
    /// Input bytes not handled yet.
    var unhandledInput: Int { input.count - inputStart }

    init(fd: Int32, caller: Caller, now: Double) {
        self.fd = fd
        self.caller = caller
        direct = DirectAnswer(fd: fd)
        idleSince = now
        lastProgress = now
    }

    // MARK: Answers, in request order

    /// Puts the answer to request `seq` in its place: it goes out when every earlier answer has.
    func place(_ bytes: [UInt8], seq: UInt64) {
        if seq == nextReply {
            append(bytes)
            nextReply += 1
            placeParked()
        } else {
            parked[seq] = bytes
            parkedBytes += bytes.count
        }
    }

    /// The answer to the next request, made here and now (a refusal, a loop answer).
    /// Counts the answer to `seq`, the next one due, as sent by another thread (`direct`), and
    /// places the answers parked behind it.
    func placeSentElsewhere(seq: UInt64) {
        precondition(seq == nextReply, "an answer sent past the loop was not the next one due")
        nextReply += 1
        placeParked()
    }

    private func placeParked() {
        while let next = parked.removeValue(forKey: nextReply) {
            parkedBytes -= next.count
            append(next)
            nextReply += 1
        }
    }

    /// Lets the writer send the answer to `seq` itself when it is the next one due and nothing
    /// of the connection is waiting to be sent.
    func allowDirectAnswer(_ seq: UInt64) {
        if seq == nextReply && pendingOutput == 0 && parked.isEmpty && !following { direct.allow(seq) }
    }

    func respondNow(_ bytes: [UInt8]) {
        let seq = nextRequest
        nextRequest += 1
        place(bytes, seq: seq)
    }

    /// Appends a line of a stream (not an answer to a request).
    func stream(_ bytes: [UInt8]) {
        direct.revoke()
        append(bytes)
    }

    private func append(_ bytes: [UInt8]) {
        if output.isEmpty {
            output = bytes
        } else {
            output.append(contentsOf: bytes)
        }
    }

    // MARK: Input, framed into lines

    /// Reads what the socket holds into `buffer`: the count (0 at the end of the stream), or
    /// `.wouldBlock`.
    func receive(into buffer: UnsafeMutableRawBufferPointer) -> Result<IOResult<Int>, Errno> {
        Socket.receive(fd, into: buffer)
    }

    /// `bytes` without the rest of a line being dropped (see `discarding`); nil when all of them
    /// belong to it.
    func skippingDiscarded(_ bytes: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer? {
        guard discarding else { return bytes }
        guard let newline = memchr(bytes.baseAddress!, 0x0A, bytes.count) else { return nil }
        discarding = false
        return UnsafeRawBufferPointer(rebasing: bytes[(bytes.baseAddress!.distance(to: newline) + 1)...])
    }

    /// Drops every byte received and not handled.
    func clearInput(keepingCapacity: Bool = false) {
        input.removeAll(keepingCapacity: keepingCapacity)
        inputStart = 0
    }

    /// Marks `used` more bytes of the input as handled. Handled bytes are dropped once they are
    /// half the buffer (each byte is moved O(1) times).
    func consumeInput(_ used: Int) {
        inputStart += used
        if inputStart == input.count {
            clearInput(keepingCapacity: input.count <= 1 << 20)
        } else if inputStart >= input.count / 2 {
            input.removeSubrange(0..<inputStart)
            inputStart = 0
        }
    }

    /// Drops the line still coming (already longer than the limit) and the rest of it as it comes.
    func discardPartialLine() {
        clearInput()
        discarding = true
    }

    // MARK: Output

    /// Sends what the socket takes of the answers owed; false when the client is gone.
    func sendPending(now: Double) -> Bool {
        // What the socket did not take of a direct answer goes before anything else.
        if pendingOutput > 0 {
            switch direct.sendLeftover() {
            case .clear: directLeftover = false
            case .waiting: return true
            case .failed: return false
            }
        }
        while pendingOutput > 0 {
            let result = output.withUnsafeBytes { raw in
                Socket.send(fd, UnsafeRawBufferPointer(rebasing: raw[sent...]))
            }
            switch result {
            case .success(.processed(let n)) where n > 0:
                sent += n
                lastProgress = now
            case .success(.wouldBlock):
                compactOutput()
                return true
            case .success, .failure:
                return false
            }
        }
        compactOutput()
        return true
    }

    private func compactOutput() {
        if pendingOutput == 0 && sent > 0 {
            output.removeAll(keepingCapacity: output.count < 1 << 20)
            sent = 0
        } else if sent >= 1 << 20 {
            // A client that reads slowly but steadily: what it took is dropped, so the buffer
            // holds only what is owed.
            output.removeSubrange(0..<sent)
            sent = 0
        }
    }
}
