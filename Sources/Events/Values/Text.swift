import Foundation

/// Text rules for names, titles and ids: stored NFC-normalised, matched insensitive to case,
/// diacritics and đ/Đ ("ban dan toc" finds "Ban Dân tộc").
///
/// Both operations run for every id of every request, so the common cases (ASCII, and Vietnamese
/// already in NFC, which is how keyboards and documents deliver it) take fast paths; anything else
/// goes through Foundation's Unicode normalisation.
public enum Text {
    /// The NFC form of `text`, with surrounding whitespace removed.
    public static func normalized(_ text: String) -> String {
        let trimmed = trimmingWhitespace(text)
        if isNFCWithoutWork(trimmed) { return trimmed }
        return trimmed.precomposedStringWithCanonicalMapping
    }

    /// `text` without leading and trailing whitespace (Unicode's definition).
    static func trimmingWhitespace(_ text: String) -> String {
        let scalars = text.unicodeScalars
        guard let first = scalars.first, let last = scalars.last,
              first.properties.isWhitespace || last.properties.isWhitespace else { return text }
        guard let start = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
              let end = scalars.lastIndex(where: { !$0.properties.isWhitespace }) else { return "" }
        return String(scalars[start...end])
    }

    /// Whether `text` is certainly NFC already: every scalar is ASCII or a precomposed Latin letter
    /// or common punctuation, none of which NFC changes (no combining marks, no singletons).
    static func isNFCWithoutWork(_ text: String) -> Bool {
        for byte in text.utf8 where byte >= 0x80 {
            return text.unicodeScalars.allSatisfy { scalar in
                switch scalar.value {
                case 0x00...0x02FF, 0x1E00...0x1EFF, 0x2000...0x206F, 0x20A0...0x20CF: true
                default: false
                }
            }
        }
        return true
    }

    /// The search key of `text`: lower case, no diacritics, đ → d.
    ///
    /// ASCII takes a fast path (just lower-casing); Latin letters with diacritics are folded by a
    /// table built once from Foundation's decomposition; anything else uses Foundation directly.
    public static func foldKey(_ text: String) -> String {
        var isASCII = true
        var hasUpper = false
        for byte in text.utf8 {
            if byte >= 0x80 { isASCII = false; break }
            if byte >= 0x41 && byte <= 0x5A { hasUpper = true }
        }
        if isASCII {
            guard hasUpper else { return text }
            return String(decoding: text.utf8.map { $0 >= 0x41 && $0 <= 0x5A ? $0 + 0x20 : $0 }, as: UTF8.self)
        }
        var result = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            let value = scalar.value
            if value < 0x80 {
                result.append(value >= 0x41 && value <= 0x5A ? Unicode.Scalar(value + 0x20)! : scalar)
            } else if let folded = LatinFolding.table[value] {
                result.append(contentsOf: folded.unicodeScalars)
            } else {
                return slowFoldKey(text)
            }
        }
        return String(result)
    }

    /// Foundation's way: decompose, lower-case, drop combining marks, đ → d.
    static func slowFoldKey(_ text: String) -> String {
        var scalars = String.UnicodeScalarView()
        for scalar in text.decomposedStringWithCanonicalMapping.lowercased().unicodeScalars {
            switch scalar.value {
            case 0x0300...0x036F: continue   // combining diacritical marks
            case 0x0111, 0x0110: scalars.append("d")   // đ, Đ
            default: scalars.append(scalar)
            }
        }
        return String(scalars)
    }

    /// Whether `haystack` contains `needle`, insensitive to case, diacritics and đ/Đ.
    public static func matches(_ haystack: String, _ needle: String) -> Bool {
        let key = foldKey(needle)
        return key.isEmpty || foldKey(haystack).contains(key)
    }

    /// How many terminal columns `text` takes: one per grapheme, two for East Asian wide ones.
    ///
    /// Combining marks take no column, so Vietnamese with stacked diacritics aligns whether it
    /// arrives composed (NFC) or decomposed (NFD). Counted on scalars (a table of a thousand rows
    /// measures every cell): a combining mark, variation selector or Hangul vowel/final jamo adds
    /// nothing, and the scalar after a zero-width joiner joins the grapheme before it.
    public static func displayWidth(_ text: String) -> Int {
        var width = 0
        var joined = false
        for scalar in text.unicodeScalars {
            let value = scalar.value
            if value < 0x0300 {
                width += 1
                joined = false
                continue
            }
            if joined {
                joined = false
                continue
            }
            switch value {
            case 0x0300...0x036F, 0x0483...0x0489, 0x0591...0x05C7, 0x0610...0x061A, 0x064B...0x065F, 0x0E31, 0x0E34...0x0E3A,
                 0x0E47...0x0E4E, 0x1160...0x11FF, 0x1AB0...0x1AFF, 0x1DC0...0x1DFF, 0x200B...0x200C, 0x20D0...0x20FF,
                 0xFE00...0xFE0F, 0xFE20...0xFE2F, 0x1F3FB...0x1F3FF, 0xE0100...0xE01EF:
                continue
            case 0x200D:
                joined = true
            case 0x1100...0x115F, 0x2E80...0xA4CF, 0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFF00...0xFF60, 0xFFE0...0xFFE6,
                 0x1F300...0x1F64F, 0x1F900...0x1F9FF, 0x20000...0x3FFFD:
                width += 2
            default:
                width += 1
            }
        }
        return width
    }
}
