import Foundation

/// Text rules for names, titles and ids: stored NFC-normalised, matched insensitive to case,
/// diacritics and đ/Đ ("ban dan toc" finds "Ban Dân tộc").
public enum Text {
    /// The NFC form of `text`, with surrounding whitespace removed.
    public static func normalized(_ text: String) -> String {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.utf8.allSatisfy({ $0 < 0x80 }) { return trimmed }
        return trimmed.precomposedStringWithCanonicalMapping
    }

    /// The search key of `text`: lower case, no diacritics, đ → d.
    ///
    /// ASCII text takes a fast path (just lower-casing), since most ids are ASCII.
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
    /// Counting graphemes (not bytes or scalars) keeps Vietnamese with stacked diacritics aligned
    /// whether it arrives composed (NFC) or decomposed (NFD).
    public static func displayWidth(_ text: String) -> Int {
        var width = 0
        for character in text {
            guard let scalar = character.unicodeScalars.first else { continue }
            switch scalar.value {
            case 0x1100...0x115F, 0x2E80...0xA4CF, 0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFF00...0xFF60, 0xFFE0...0xFFE6,
                 0x1F300...0x1F64F, 0x20000...0x3FFFD:
                width += 2
            default:
                width += 1
            }
        }
        return width
    }
}
