import Foundation

/// The fold of every Latin letter with diacritics (U+00C0–U+024F, U+1E00–U+1EFF): built once.
enum LatinFolding {
    static let table: [UInt32: String] = {
        var table: [UInt32: String] = [:]
        for range in [0x00A0...0x024F, 0x1E00...0x1EFF] as [ClosedRange<UInt32>] {
            for value in range {
                guard let scalar = Unicode.Scalar(value) else { continue }
                table[value] = Text.slowFoldKey(String(Character(scalar)))
            }
        }
        return table
    }()
}
