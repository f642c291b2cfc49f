/// "Did you mean …?": the known word closest to a mistyped one.
public enum Suggestion {
    /// The candidate closest to `word` — one it starts, or within a few edits (about one in
    /// three letters) — or nil when none is close enough to be what was meant.
    public static func closest(to word: String, among candidates: [String]) -> String? {
        let typed = Array(word.lowercased())
        guard !typed.isEmpty else { return nil }
        var best: (candidate: String, distance: Int)? = nil
        for candidate in candidates {
            let known = Array(candidate.lowercased())
            let distance = known.starts(with: typed) && typed.count >= 3 ? 0 : editDistance(typed, known)
            if distance <= max(1, known.count / 3), best.map({ distance < $0.distance }) ?? true {
                best = (candidate, distance)
            }
        }
        return best?.candidate
    }

    /// `" (did you mean 'X'?)"` for the closest candidate, or "" when none is close.
    public static func phrase(for word: String, among candidates: [String], quoted: (String) -> String = { "'\($0)'" }) -> String {
        closest(to: word, among: candidates).map { "; did you mean \(quoted($0))?" } ?? ""
    }

    /// Edits (insert, delete, replace, swap of two neighbours) that turn `a` into `b`.
    static func editDistance(_ a: [Character], _ b: [Character]) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous2 = [Int](repeating: 0, count: b.count + 1)
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
                if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                    current[j] = min(current[j], previous2[j - 2] + 1)
                }
            }
            (previous2, previous, current) = (previous, current, previous2)
        }
        return previous[b.count]
    }
}
