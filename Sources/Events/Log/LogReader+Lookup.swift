/// Reading back a few records by their seq.
extension LogReader {
    /// The records with the given seqs (through `head`), in one pass from the smallest; the
    /// result has no entry for a seq the log does not hold. Each is checked against its hash.
    ///
    /// The pass starts at the segment holding the smallest seq and reads every line from its
    /// start: a rare path (a retry whose note differs names the recorded note), not a query.
    public func records(at seqs: Set<UInt64>, through head: LogPosition) throws(TrackerError) -> [UInt64: Record] {
        guard let first = seqs.min(), let last = seqs.max(), first >= 1, first <= head.seq else { return [:] }
        var found: [UInt64: Record] = [:]
        try forEachRecord(from: first, through: head) { (record) throws(TrackerError) -> Bool in
            if seqs.contains(record.seq) { found[record.seq] = record }
            return record.seq < last && found.count < seqs.count
        }
        return found
    }
}
