import Glibc

/// Reads a segment file line by line in large chunks, stopping at the end of data (the first NUL
/// of the preallocated tail, or end of file).
///
/// Lines are handed out as raw bytes without the newline; a final line with no newline is handed
/// out with `terminated == false`, which is how a torn write shows itself.
public struct LineScanner {
    /// One line of the segment.
    public struct Line {
        /// The bytes, without newline.
        public let bytes: UnsafeRawBufferPointer
        /// Offset of the line's first byte in the file.
        public let offset: Int64
        /// Whether a newline ended the line.
        public let terminated: Bool
        /// Whether the line contains a NUL byte (a hole from a lost page write).
        public let hasNUL: Bool
    }

    private let fd: FileDescriptor
    private let end: Int64
    private var buffer: UnsafeMutableRawBufferPointer
    private var bufferStart: Int64
    private var bufferCount = 0
    private var cursor = 0

    /// A scanner over `fd` from `offset` up to `end` (exclusive), reading `chunk` bytes at a time.
    public init(fd: FileDescriptor, from offset: Int64, to end: Int64, chunk: Int = 4 << 20) {
        self.fd = fd
        self.end = end
        self.buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: chunk, alignment: 64)
        self.bufferStart = offset
    }

    /// Frees the read buffer; lines handed out before are invalid afterwards.
    public func deallocate() { buffer.deallocate() }

    /// The next line, or nil at the end of data. Lines are valid until the next call.
    public mutating func next() throws(Errno) -> Line? {
        while true {
            if cursor < bufferCount {
                let base = buffer.baseAddress! + cursor
                let remaining = bufferCount - cursor
                if let newline = memchr(base, 0x0A, remaining) {
                    let length = newline - UnsafeMutableRawPointer(mutating: base)
                    let line = UnsafeRawBufferPointer(start: base, count: length)
                    let offset = bufferStart + Int64(cursor)
                    cursor += length + 1
                    return Line(bytes: line, offset: offset, terminated: true, hasNUL: memchr(base, 0, length) != nil)
                }
                let fileOffset = bufferStart + Int64(bufferCount)
                if fileOffset >= end || cursor == 0 && bufferCount == buffer.count {
                    if cursor == 0 && bufferCount == buffer.count && fileOffset < end {
                        // A line longer than the buffer: grow and retry.
                        let bigger = UnsafeMutableRawBufferPointer.allocate(byteCount: buffer.count * 2, alignment: 64)
                        bigger.copyMemory(from: UnsafeRawBufferPointer(buffer))
                        buffer.deallocate()
                        buffer = bigger
                        try fill(keeping: bufferCount)
                        continue
                    }
                    // Unterminated final line.
                    let line = UnsafeRawBufferPointer(start: base, count: remaining)
                    let offset = bufferStart + Int64(cursor)
                    cursor = bufferCount
                    return Line(bytes: line, offset: offset, terminated: false, hasNUL: memchr(base, 0, remaining) != nil)
                }
                // Move the partial line to the front and read more.
                let partial = remaining
                memmove(buffer.baseAddress!, base, partial)
                bufferStart += Int64(cursor)
                cursor = 0
                try fill(keeping: partial)
                continue
            }
            bufferStart += Int64(bufferCount)
            bufferCount = 0
            cursor = 0
            if bufferStart >= end { return nil }
            try fill(keeping: 0)
            if bufferCount == 0 { return nil }
        }
    }

    private mutating func fill(keeping kept: Int) throws(Errno) {
        let want = min(Int64(buffer.count - kept), end - (bufferStart + Int64(kept)))
        guard want > 0 else { bufferCount = kept; return }
        let target = UnsafeMutableRawBufferPointer(rebasing: buffer[kept..<(kept + Int(want))])
        let n = try fd.readFully(into: target, at: bufferStart + Int64(kept))
        bufferCount = kept + n
    }
}

/// Finds where the data of a preallocated segment ends: just past the last non-NUL byte.
func dataEnd(of fd: FileDescriptor, size: Int64) throws(Errno) -> Int64 {
    let chunk = 1 << 16
    let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: chunk, alignment: 64)
    defer { buffer.deallocate() }
    var high = size
    while high > 0 {
        let low = max(0, high - Int64(chunk))
        let count = Int(high - low)
        let n = try fd.readFully(into: UnsafeMutableRawBufferPointer(rebasing: buffer[0..<count]), at: low)
        var index = n - 1
        while index >= 0 && buffer[index] == 0 { index -= 1 }
        if index >= 0 { return low + Int64(index) + 1 }
        high = low
    }
    return 0
}
